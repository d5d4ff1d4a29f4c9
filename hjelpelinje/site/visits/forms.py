from __future__ import annotations

from hjelpelinje.core.imports import FileImportForm


class ImportForm(FileImportForm):
    # Past years are counted once and rarely again: the page opens ready to store them.
    dry_run_initial = False
