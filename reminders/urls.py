from django.urls import path

from reminders import views

app_name = "reminders"
urlpatterns = [
    path("<int:pk>/done/", views.reminder_done, name="done"),
    path("act/<str:token>/", views.reminder_act, name="act"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar"),
    path("calendar/new-address/", views.calendar_regenerate, name="calendar_regenerate"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
