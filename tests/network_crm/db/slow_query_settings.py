"""The project's settings with /slow/ added (tests.network_crm.db.slow_query_urls), for a live
gunicorn in the query time limit's tests."""

from network_crm.settings import *  # noqa: F403

ROOT_URLCONF = "tests.network_crm.db.slow_query_urls"
