from django.urls import path

from reminders import views

app_name = "reminders"
urlpatterns = [
    path("<int:pk>/done/", views.reminder_done, name="done"),
]
