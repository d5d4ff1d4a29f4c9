"""What the spreadsheet imports share: the upload form, reading the upload, the command.

The imports of past inquiries and of the website's past visit counts take the same kind
of file (CSV or XLSX, all rows or none) and report bad rows the same way, on the page and
on the command line. What differs (the importer, the words for what was imported) stays
with each app.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol, TypeVar

from django import forms
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hjelpelinje.core.tabular import shown_errors
from hjelpelinje.core.uploads import size_problem, too_large_message, upload_refused


class RowProblem(Protocol):
    """One bad row (or a whole-file problem on line 0 or 1) as an importer reports it."""

    @property
    def line(self) -> int: ...
    @property
    def column(self) -> str: ...
    @property
    def value(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def allowed(self) -> str: ...


class Outcome(Protocol):
    """What an importer returns: its bad rows, or how many good rows it read."""

    @property
    def errors(self) -> Sequence[RowProblem]: ...
    @property
    def rows(self) -> int: ...
    @property
    def dry_run(self) -> bool: ...


R = TypeVar("R", bound=Outcome)
F = TypeVar("F", bound="FileImportForm")


class FileImportForm(forms.Form):
    """A CSV or XLSX file, refused at once when larger than the upload limit."""

    # Whether "check only" is ticked when the page opens; each import chooses.
    dry_run_initial = True

    file = forms.FileField(
        label=gettext_lazy("Fil (CSV eller XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Bare kontroller filen (prøvekjøring, ingenting lagres)"),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dry_run"].initial = self.dry_run_initial

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        problem = size_problem(getattr(upload, "size", None))
        if problem is not None:
            raise forms.ValidationError(problem, code="too_large")
        return upload


def import_upload(
    request: HttpRequest, form_class: type[F], run: Callable[[Path, bool], R]
) -> tuple[F, R | None]:
    """The bound form and, when a good file was posted, what `run(path, dry_run)` returned."""
    form = form_class(request.POST or None, request.FILES or None)
    if request.method != "POST":
        return form, None
    if upload_refused(request):
        # The upload was stopped at the size limit, so the form never saw the file.
        form = form_class(request.POST)
        form.is_valid()
        form.errors["file"] = form.error_class([too_large_message()])
        return form, None
    if not form.is_valid():
        return form, None
    upload = form.cleaned_data["file"]
    suffix = Path(upload.name).suffix.lower()[:5]
    # The importer reads a path (XLSX needs random access); the file is removed at once.
    with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
        handle.flush()
        return form, run(Path(handle.name), form.cleaned_data["dry_run"])


def error_context(result: Outcome | None) -> dict[str, Any]:
    """The first bad rows for the page, and how many more there are."""
    shown, more = shown_errors(list(result.errors)) if result is not None else ([], 0)
    return {"result": result, "errors_shown": shown, "errors_more": more}


def format_error(error: RowProblem) -> str:
    """One bad row as a line of text for the command line."""
    where = _("linje %(line)d") % {"line": error.line}
    if error.column:
        where += ", " + _("kolonne %(column)s") % {"column": error.column}
    text = f"{where}: {error.message}"
    if error.value:
        text += " " + _("Verdi: «%(value)s».") % {"value": error.value}
    if error.allowed:
        text += " " + _("Tillatt: %(allowed)s.") % {"allowed": error.allowed}
    return text


class ImportCommand(BaseCommand):
    """`… PATH [--dry-run]`: all rows or none, every bad row named on stderr."""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file only; store nothing."
        )

    def run_import(self, path: Path, dry_run: bool) -> Outcome:
        raise NotImplementedError

    def checked_message(self, result: Any) -> str:
        """What a dry run that found no errors says."""
        raise NotImplementedError

    def done_message(self, result: Any) -> str:
        """What an import that stored the rows says."""
        raise NotImplementedError

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(_("Finner ikke filen %(path)s.") % {"path": path})
        result = self.run_import(path, options["dry_run"])
        if result.errors:
            shown, more = shown_errors(list(result.errors))
            for error in shown:
                self.stderr.write(format_error(error))
            if more:
                self.stderr.write(_("… og %(count)d feil til.") % {"count": more})
            raise CommandError(
                _("%(count)d feil. Ingenting ble importert.") % {"count": len(result.errors)}
            )
        if result.dry_run:
            self.stdout.write(self.checked_message(result))
        else:
            self.stdout.write(self.done_message(result))
