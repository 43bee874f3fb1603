"""The person's-page actions on what a phone's write left (dav/conflict_views.py)."""

from django.urls import path

from dav import conflict_views

app_name = "dav_conflicts"
urlpatterns = [
    path("<int:pk>/settle/", conflict_views.conflict_settle, name="settle"),
]
