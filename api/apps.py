from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "REST API and webhooks"

    def ready(self) -> None:
        from api import receivers, settings_sections

        receivers.connect()
        settings_sections.register()
