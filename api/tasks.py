"""The API's worker tasks: webhook deliveries and the idempotency records' purge."""

from __future__ import annotations
