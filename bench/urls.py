"""The project's URLs plus /_floor/: a logged-in page that renders base.html and nothing else,
the floor every page's server time is compared with. Only the bench processes load this."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import include, path


@login_required
def floor(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html")


urlpatterns = [
    path("_floor/", floor, name="bench_floor"),
    path("", include("network_crm.urls")),
]
