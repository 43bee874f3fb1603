from django.urls import path

from reminders import rhythm_views

app_name = "rhythm"
urlpatterns = [
    path("<int:pk>/undo/", rhythm_views.rhythm_undo, name="undo"),
]
