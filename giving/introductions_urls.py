from django.urls import path

from giving import introductions_views as views

app_name = "introductions"
urlpatterns = [
    path("", views.introduction_list, name="list"),
    path("new/", views.introduction_add, name="add"),
    path("<int:pk>/", views.introduction_detail, name="detail"),
    path("<int:pk>/step/", views.introduction_step, name="step"),
    path("<int:pk>/delete/", views.introduction_remove, name="delete"),
]
