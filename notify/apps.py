from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "notify"
    verbose_name = "Notifications: channels and push"

    def ready(self) -> None:
        from notify import sections

        sections.register()
