from django.urls import path

from reminders import meetups_views

app_name = "meetups"
urlpatterns = [
    path("log/", meetups_views.meetup_log, name="log"),
    path("dismiss/", meetups_views.meetup_dismiss, name="dismiss"),
    path("dismiss/undo/", meetups_views.meetup_undo_dismiss, name="undo_dismiss"),
]
