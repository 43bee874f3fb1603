from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "contacts"

    def ready(self) -> None:
        from accounts.signals import user_created, user_deleting
        from contacts import receivers, sections

        user_created.connect(receivers.give_default_circles, dispatch_uid="contacts-circles")
        user_deleting.connect(receivers.delete_photo_files, dispatch_uid="contacts-photos")
        sections.register()
