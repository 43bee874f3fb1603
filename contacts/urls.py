from django.urls import path

from contacts.views import (
    circles,
    contact_form,
    contact_list,
    contact_page,
    interests,
    photos,
)

app_name = "contacts"
urlpatterns = [
    path("", contact_list.contact_list, name="list"),
    path("new/", contact_form.contact_create, name="create"),
    path("new/row/", contact_form.contact_form_row, name="new_row"),
    path("bulk/", contact_list.contact_bulk, name="bulk"),
    path("bulk/<int:pk>/undo/", contact_list.contact_bulk_undo, name="bulk_undo"),
    path("<int:pk>/", contact_page.contact_detail, name="detail"),
    path("<int:pk>/edit/", contact_form.contact_edit, name="edit"),
    path("<int:pk>/edit/row/", contact_form.contact_form_row, name="edit_row"),
    path("<int:pk>/snooze/", contact_page.contact_snooze, name="snooze"),
    path("<int:pk>/fine/", contact_page.contact_fine, name="fine"),
    path("<int:pk>/undo/", contact_page.contact_undo, name="undo"),
    path("<int:pk>/archive/", contact_form.contact_archive, name="archive"),
    path("<int:pk>/delete/", contact_form.contact_delete, name="delete"),
    path("<int:pk>/photo/", photos.contact_photo, name="photo"),
    path("<int:pk>/photo/upload/", photos.contact_photo_upload, name="photo_upload"),
    path("<int:pk>/introducer/", contact_form.contact_introducer, name="introducer"),
    path("<int:pk>/interests/", interests.contact_interest_add, name="interest_add"),
    path(
        "<int:pk>/interests/<int:interest_pk>/remove/",
        interests.contact_interest_remove,
        name="interest_remove",
    ),
    path("interests/", interests.interest_list, name="interests"),
    path("interests/suggest/", interests.interest_suggestions, name="interest_suggest"),
    path("circles/", circles.circle_list, name="circles"),
    path("circles/<int:pk>/", circles.circle_edit, name="circle_edit"),
    path("circles/<int:pk>/delete/", circles.circle_delete, name="circle_delete"),
]
