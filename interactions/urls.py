from django.urls import path

from interactions import views

app_name = "interactions"
urlpatterns = [
    path("", views.interaction_list, name="list"),
    path("log/<int:contact_pk>/", views.interaction_log, name="log"),
    path("new/<int:contact_pk>/", views.interaction_create, name="create"),
    path("<int:pk>/edit/", views.interaction_edit, name="edit"),
    path("<int:pk>/delete/", views.interaction_delete, name="delete"),
]
