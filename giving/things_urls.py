from django.urls import path

from giving import things_views

app_name = "things"
urlpatterns = [
    path("", things_views.thing_list, name="list"),
    path("add/", things_views.thing_add, name="add"),
    path("<int:pk>/", things_views.thing_detail, name="detail"),
    path("<int:pk>/share/<int:contact_pk>/", things_views.thing_share, name="share"),
    path("<int:pk>/archive/", things_views.thing_archive, name="archive"),
    path("shares/<int:pk>/undo/", things_views.share_undo, name="share_undo"),
    path("received/<int:contact_pk>/", things_views.thing_received, name="received"),
]
