from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "REST API and webhooks"

    def ready(self) -> None:
        # api.schema registers the OpenAPI extension of the session authentication.
        from api import receivers, schema, settings_sections  # noqa: F401

        receivers.connect()
        settings_sections.register()
