from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "notify"
    verbose_name = "Notifications: channels and push"

    def ready(self) -> None:
        from notify import receivers, sections
        from reminders.signals import digest_created

        sections.register()
        # The delivery engine (notify/services/deliveries.py): a new digest goes to every target.
        digest_created.connect(receivers.on_digest_created, dispatch_uid="notify-digest-created")
