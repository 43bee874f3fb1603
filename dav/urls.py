from django.urls import path

from dav import views

app_name = "dav"

urlpatterns = [
    path(".well-known/carddav", views.well_known, name="well_known_carddav"),
    path(".well-known/caldav", views.well_known, name="well_known_caldav"),
    path("dav/", views.dav, name="root"),
    path("dav/<path:path>", views.dav, name="path"),
]
