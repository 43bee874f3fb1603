from django.urls import path

from reminders import brief_views

app_name = "brief"
urlpatterns = [path("<int:contact_id>/", brief_views.brief_contact, name="contact")]
