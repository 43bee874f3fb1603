from django.apps import AppConfig


class GivingConfig(AppConfig):
    name = "giving"
    verbose_name = "Giving (things to share, introductions)"

    def ready(self) -> None:
        from giving import introductions_sections, things_sections

        things_sections.register()
        introductions_sections.register()
