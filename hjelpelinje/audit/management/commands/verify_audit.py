from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from hjelpelinje.audit.models import AuditEntry
from hjelpelinje.audit.selectors import audit_verify_chain


class Command(BaseCommand):
    help = "Check the audit log's hash chain; exit non-zero at the first broken entry."

    def handle(self, *args: Any, **options: Any) -> None:
        problem = audit_verify_chain()
        if problem is not None:
            raise CommandError(f"audit log broken at entry {problem.entry_id}: {problem.problem}")
        self.stdout.write(f"audit log intact: {AuditEntry.objects.count()} entries")
