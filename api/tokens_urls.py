"""Settings → tokens pages (mounted under /accounts/settings/ by the root URLconf)."""

from django.urls import path  # noqa: F401

app_name = "api_tokens"

urlpatterns: list = []
