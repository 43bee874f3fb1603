from django.urls import path

from contacts import views

app_name = "contacts"
urlpatterns = [
    path("", views.contact_list, name="list"),
    path("new/", views.contact_create, name="create"),
    path("bulk/", views.contact_bulk, name="bulk"),
    path("export/", views.contact_export, name="export"),
    path("import/", views.import_start, name="import"),
    path("duplicates/", views.duplicate_list, name="duplicates"),
    path("<int:pk>/merge/<int:other_pk>/", views.contact_merge, name="merge"),
    path("merges/<int:pk>/undo/", views.merge_undo, name="merge_undo"),
    path("import/<int:pk>/", views.import_detail, name="import_detail"),
    path("import/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("import/<int:pk>/columns/", views.import_mapping, name="import_mapping"),
    path("import/<int:pk>/undo/", views.import_undo, name="import_undo"),
    path("backup.json", views.account_backup, name="backup"),
    path("restore/", views.backup_restore, name="restore"),
    path("bulk/<int:pk>/undo/", views.contact_bulk_undo, name="bulk_undo"),
    path("<int:pk>/", views.contact_detail, name="detail"),
    path("<int:pk>/edit/", views.contact_edit, name="edit"),
    path("<int:pk>/snooze/", views.contact_snooze, name="snooze"),
    path("<int:pk>/fine/", views.contact_fine, name="fine"),
    path("<int:pk>/archive/", views.contact_archive, name="archive"),
    path("<int:pk>/delete/", views.contact_delete, name="delete"),
    path("<int:pk>/photo/", views.contact_photo, name="photo"),
    path("<int:pk>/photo/upload/", views.contact_photo_upload, name="photo_upload"),
    path("<int:pk>/introducer/", views.contact_introducer, name="introducer"),
    path("<int:pk>/interests/", views.contact_interest_add, name="interest_add"),
    path(
        "<int:pk>/interests/<int:interest_pk>/remove/",
        views.contact_interest_remove,
        name="interest_remove",
    ),
    path("interests/", views.interest_list, name="interests"),
    path("interests/suggest/", views.interest_suggestions, name="interest_suggest"),
    path("circles/", views.circle_list, name="circles"),
    path("circles/<int:pk>/", views.circle_edit, name="circle_edit"),
    path("circles/<int:pk>/delete/", views.circle_delete, name="circle_delete"),
]
