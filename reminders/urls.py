from django.urls import path

from reminders import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
]
