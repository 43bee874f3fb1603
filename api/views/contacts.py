"""/api/v1/ routes: contacts (docs/architecture.md, "The API")."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

router = SimpleRouter()

urlpatterns = router.urls
