"""The report's document model: chapters of sections holding paragraphs, notes, bullets,
figures and tables; every renderer (PDF, DOCX, HTML, XLSX, CSV) only lays this out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from hjelpelinje.reporting.figures import Figure, Table

Stats = dict[str, Any]


@dataclass
class Paragraph:
    text: str


@dataclass
class Markdown:
    """A manager's text, written in Markdown in the UI; rendered with raw HTML escaped."""

    text: str


@dataclass
class Bullets:
    items: list[str]


@dataclass
class Note:
    text: str


Block = Paragraph | Markdown | Bullets | Note | Figure | Table


@dataclass
class Section:
    title: str
    blocks: list[Block] = field(default_factory=list)
    # Sections under this one (each campaign under "Kampanjer"), numbered 4.2.1, 4.2.2...
    subsections: list[Section] = field(default_factory=list)


@dataclass(frozen=True)
class Heading:
    """A section's place in the report's outline: what every format numbers and links."""

    number: str
    anchor: str
    level: int
    section: Section


def _outline(prefix: str, anchor: str, level: int, sections: list[Section]) -> list[Heading]:
    out: list[Heading] = []
    for index, section in enumerate(sections, start=1):
        number, here = f"{prefix}.{index}", f"{anchor}-{index}"
        out.append(Heading(number, here, level, section))
        out += _outline(number, here, level + 1, section.subsections)
    return out


@dataclass
class Chapter:
    number: int
    title: str
    blocks: list[Block] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"kap{self.number}"

    def outline(self) -> list[Heading]:
        """Every section and subsection in reading order, numbered; level 2 is a section."""
        return _outline(str(self.number), self.anchor, 2, self.sections)


@dataclass
class Report:
    year: int
    service_name: str
    chapters: list[Chapter]
    min_count: int
    generated_on: dt.date

    @property
    def title(self) -> str:
        return _("Årsrapport %(year)s") % {"year": self.year}

    def figures(self) -> list[Figure]:
        return [b for b in self._blocks() if isinstance(b, Figure)]

    def tables(self) -> list[Table]:
        """Every table of the report, those under the charts included, in reading order."""
        out: list[Table] = []
        for block in self._blocks():
            if isinstance(block, Figure):
                out.append(block.table)
            elif isinstance(block, Table):
                out.append(block)
        return out

    def _blocks(self) -> list[Block]:
        out: list[Block] = []
        for chapter in self.chapters:
            out.extend(chapter.blocks)
            for heading in chapter.outline():
                out.extend(heading.section.blocks)
        return out


def manager_text(texts: dict[str, str], name: str, missing: str) -> Block:
    """A manager's text for the report, or the note saying it is not written yet."""
    text = (texts.get(name) or "").strip()
    return Markdown(text) if text else Note(missing)


def paragraphs(lines: list[str]) -> list[Block]:
    """Sentences as one paragraph, or nothing when there are none."""
    return [Paragraph(" ".join(lines))] if lines else []
