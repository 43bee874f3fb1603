from django.urls import path

from pwa import share_views

app_name = "share"

urlpatterns = [
    path("", share_views.share, name="share"),
    path("note/", share_views.share_note, name="note"),
]
