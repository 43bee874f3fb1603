from django.contrib.admin.apps import AdminConfig
from django.db.backends.signals import connection_created


class CRMAdminConfig(AdminConfig):
    """The admin, with the project's site; being the project package's one app config, it also
    sets up what every database connection gets."""

    # CRMAdminSite (network_crm/admin.py: owned rows, safe lookups), with names for the controls
    # the stock admin leaves unnamed (network_crm/admin_a11y.py).
    default_site = "network_crm.admin_a11y.AccessibleAdminSite"

    def ready(self):
        super().ready()
        from network_crm.db import limit_statement_time

        connection_created.connect(limit_statement_time, dispatch_uid="limit_statement_time")
