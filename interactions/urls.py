from django.urls import path

from interactions import views

app_name = "interactions"
urlpatterns = [
    path("log/<int:contact_pk>/", views.interaction_log, name="log"),
]
