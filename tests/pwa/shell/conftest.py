"""The project's static files in a folder a test may edit (the push script, a deploy)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

STATIC_DIR = Path(settings.BASE_DIR) / "static"


@pytest.fixture
def static_copy(tmp_path):
    """The project's static files in a folder a test may edit, as the only STATICFILES_DIRS."""
    copy = tmp_path / "static"
    shutil.copytree(STATIC_DIR, copy)
    (copy / "js" / "sw-push.js").unlink(missing_ok=True)
    with override_settings(STATICFILES_DIRS=[copy], DEBUG=True):
        yield copy
