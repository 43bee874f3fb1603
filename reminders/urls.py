from django.urls import path

from reminders.views import actions, calendar, signed_links

app_name = "reminders"
urlpatterns = [
    path("<int:pk>/done/", actions.reminder_done, name="done"),
    path("<int:pk>/undo-done/", actions.reminder_undo_done, name="undo_done"),
    path("act/<str:token>/", signed_links.reminder_act, name="act"),
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="calendar"),
    path("calendar/new-address/", calendar.calendar_regenerate, name="calendar_regenerate"),
    path("unsubscribe/<str:token>/", signed_links.unsubscribe, name="unsubscribe"),
]
