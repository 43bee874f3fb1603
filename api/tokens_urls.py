"""Settings → API tokens (mounted at /accounts/settings/api-tokens/ by the root URLconf)."""

from django.urls import path

from api import tokens_views as views

app_name = "api_tokens"

urlpatterns = [
    path("", views.tokens_page, name="page"),
    path("new/", views.token_add, name="token_add"),
    path("<int:pk>/new/", views.token_new, name="token_new"),
    path("<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
