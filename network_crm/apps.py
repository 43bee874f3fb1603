from django.contrib.admin.apps import AdminConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate, pre_migrate


class CRMAdminConfig(AdminConfig):
    """The admin, with the project's site; being the project package's one app config, it also
    sets up what every database connection gets."""

    # CRMAdminSite (network_crm/admin.py: owned rows, safe lookups), with names for the controls
    # the stock admin leaves unnamed (network_crm/admin_a11y.py).
    default_site = "network_crm.admin_a11y.AccessibleAdminSite"

    def ready(self):
        super().ready()
        from django.db import connections

        from network_crm import owner_cache
        from network_crm.db import limit_statement_time

        connection_created.connect(limit_statement_time, dispatch_uid="limit_statement_time")
        # Every write changes a data version in its own transaction (docs/decisions/0013).
        connection_created.connect(owner_cache.install, dispatch_uid="owner_cache_install")
        pre_migrate.connect(owner_cache.migration_started, dispatch_uid="owner_cache_pause")
        post_migrate.connect(owner_cache.migration_finished, dispatch_uid="owner_cache_resume")
        for connection in connections.all(initialized_only=True):
            owner_cache.install(connection=connection)
