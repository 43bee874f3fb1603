from django.apps import AppConfig


class DavConfig(AppConfig):
    name = "dav"
    verbose_name = "Phone and calendar sync"

    def ready(self) -> None:
        from dav import conflict_sections, settings_sections

        conflict_sections.register()
        settings_sections.register()
