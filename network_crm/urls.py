from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_safe
from django.views.generic import RedirectView

from network_crm import views as kit_views
from reminders.views.dashboard import dashboard


@method_decorator(require_safe, name="dispatch")
class FaviconRedirect(RedirectView):
    permanent = True

    def get_redirect_url(self, *args, **kwargs) -> str:
        # Resolved per request: the static manifest exists only after collectstatic.
        return static("favicon.svg")


urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("reminders/", include("reminders.urls")),
    path("health/", kit_views.health, name="health"),
    path("accounts/", include("accounts.urls")),
    path("accounts/settings/sync/", include("dav.settings_urls")),
    path("accounts/settings/api-tokens/", include("api.tokens_urls")),
    path("accounts/settings/webhooks/", include("api.webhooks_urls")),
    # Channels (Apprise) and this device's push: notify/urls.py.
    path("accounts/settings/notifications/", include("notify.urls")),
    path("contacts/", include("contacts.urls")),
    path("contacts/", include("portability.urls")),
    path("interactions/", include("interactions.urls")),
    path("plans/", include("interactions.plans_urls")),
    path("things/", include("giving.things_urls")),
    path("introductions/", include("giving.introductions_urls")),
    path("brief/", include("reminders.brief_urls")),
    path("meetups/", include("reminders.meetups_urls")),
    path("rhythm/", include("reminders.rhythm_urls")),
    path("contacts/card-conflicts/", include("dav.conflict_urls")),
    path("admin/", admin.site.urls),
    # The REST API (/api/v1/), its OpenAPI schema and docs: api/urls.py.
    path("api/", include("api.urls")),
    # CardDAV/CalDAV for phones: /dav/ (Radicale) and the /.well-known/ redirects.
    path("", include("dav.urls")),
    # The installable app: /manifest.webmanifest, /sw.js (at the root, so its scope is the whole
    # site), the offline page and the share target: pwa/urls.py.
    path("", include("pwa.urls")),
    # Browsers ask for /favicon.ico on pages that don't name one (the admin's).
    path("favicon.ico", FaviconRedirect.as_view()),
]
