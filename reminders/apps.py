from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "reminders"

    def ready(self) -> None:
        # /health/ (the kit's) reports on the sweep without the kit reading reminders' tables.
        from network_crm.health import periodic_job_register
        from reminders.selectors import SWEEP_HEALTHY_WITHIN, sweep_last_run

        periodic_job_register(name="sweep", last_run=sweep_last_run, within=SWEEP_HEALTHY_WITHIN)
