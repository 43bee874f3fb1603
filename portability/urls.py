"""The portability pages. They live under /contacts/ (the paths they always had), in their own
namespace."""

from django.urls import path

from portability.views import backup, duplicates, exports, imports

app_name = "portability"
urlpatterns = [
    path("export/", exports.contact_export, name="export"),
    path("export/selection/", exports.selection_export, name="export_selection"),
    path("import/", imports.import_start, name="import"),
    path("duplicates/", duplicates.duplicate_list, name="duplicates"),
    path("<int:pk>/merge/<int:other_pk>/", duplicates.contact_merge, name="merge"),
    path("merges/<int:pk>/undo/", duplicates.merge_undo, name="merge_undo"),
    path("import/<int:pk>/", imports.import_detail, name="import_detail"),
    path("import/<int:pk>/confirm/", imports.import_confirm, name="import_confirm"),
    path("import/<int:pk>/columns/", imports.import_mapping, name="import_mapping"),
    path("import/<int:pk>/undo/", imports.import_undo, name="import_undo"),
    path("backup.json", backup.account_backup, name="backup"),
    path("restore/", backup.backup_restore, name="restore"),
]
