"""Signals the register sends for writes that bypass the ORM's own signals."""

from __future__ import annotations

from django.dispatch import Signal

# Sent after a bulk import has committed; `count` is the number of inquiries stored.
inquiries_imported = Signal()
