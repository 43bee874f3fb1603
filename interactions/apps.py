from django.apps import AppConfig


class InteractionsConfig(AppConfig):
    name = "interactions"

    def ready(self) -> None:
        from contacts.signals import contacts_deleting
        from interactions import plans_sections, receivers, sections

        contacts_deleting.connect(
            receivers.delete_interactions_left_with_nobody,
            dispatch_uid="interactions-delete-orphans",
        )
        sections.register()
        plans_sections.register()
