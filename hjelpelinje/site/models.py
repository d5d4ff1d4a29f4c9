"""The website's page types (owned by the pages work)."""

from __future__ import annotations
