from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "reminders"

    def ready(self) -> None:
        # /health/ (the kit's) reports on the sweep without the kit reading reminders' tables.
        from network_crm.health import periodic_job_register
        from reminders.selectors import SWEEP_HEALTHY_WITHIN, sweep_last_run

        periodic_job_register(name="sweep", last_run=sweep_last_run, within=SWEEP_HEALTHY_WITHIN)

        from accounts.signals import user_settings_changed
        from contacts.signals import due_changed
        from interactions.signals import interaction_changed
        from reminders import receivers, rhythm_sections, sections

        due_changed.connect(
            receivers.close_reminders_no_longer_due, dispatch_uid="reminders-close-not-due"
        )
        interaction_changed.connect(
            receivers.drop_follow_ups_that_no_longer_fit, dispatch_uid="reminders-follow-ups"
        )
        user_settings_changed.connect(
            receivers.schedule_digest, dispatch_uid="reminders-digest-schedule"
        )
        sections.register()
        rhythm_sections.register()

        from reminders import brief_sections

        brief_sections.register()
