from django.apps import AppConfig
from django.db.models.signals import post_save


def _prepare_new_account(sender, instance, created, raw=False, **kwargs):
    """Every account has its settings row, including those made outside sign-up
    (createsuperuser, the admin), whose pages would otherwise fail."""
    if created and not raw:
        from accounts.services import user_prepare
        from network_crm.clock import now

        user_prepare(user=instance, now=now(), default_circles=False)


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self) -> None:
        post_save.connect(
            _prepare_new_account, sender="accounts.User", dispatch_uid="prepare-account"
        )
