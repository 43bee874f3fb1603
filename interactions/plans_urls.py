from django.urls import path

from interactions import plans_views as views

app_name = "plans"
urlpatterns = [
    path("add/", views.plan_add, name="add"),
    path("<int:pk>/edit/", views.plan_edit, name="edit"),
    path("<int:pk>/log/", views.plan_log, name="log"),
    path("<int:pk>/unlog/", views.plan_unlog, name="unlog"),
    path("<int:pk>/dismiss/", views.plan_dismiss, name="dismiss"),
    path("<int:pk>/restore/", views.plan_restore, name="restore"),
    path("promise/<int:pk>/", views.plan_promise, name="promise"),
    path("contact/<int:pk>/", views.plans_for_contact, name="for_contact"),
]
