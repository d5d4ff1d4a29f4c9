"""The report as a Word document the organisation can keep editing (python-docx).

Headings use Word's own heading styles, so the table of contents field (updated when the
document is opened) and the navigation pane work; charts are PNG images; tables are real
Word tables; page numbers sit in the footer.
"""

from __future__ import annotations

import io

from django.utils.translation import get_language, gettext
from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from hjelpelinje.reporting import markup, norsk
from hjelpelinje.reporting.charts import cached_png
from hjelpelinje.reporting.figures import Cell, Figure, Pct, Table
from hjelpelinje.reporting.report.document import Block, Bullets, Markdown, Note, Paragraph, Report

RED = RGBColor(0xA5, 0x1D, 0x24)
GREY = RGBColor(0x66, 0x66, 0x66)


def _field(paragraph: object, instruction: str, placeholder: str = "") -> None:
    """A Word field (PAGE, TOC) in a paragraph."""
    run = paragraph.add_run()  # type: ignore[attr-defined]
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = instruction
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = placeholder
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instr, separate, shown, end):
        run._r.append(element)


def _cell_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, Pct):
        return norsk.percent(value.value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return norsk.num(value)
    return str(value)


def _styles(document: object) -> None:
    styles = document.styles  # type: ignore[attr-defined]
    normal = styles["Normal"]
    normal.font.name = "Georgia"
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for name, size, colour in (
        ("Heading 1", 18, RED),
        ("Heading 2", 12.5, None),
        ("Title", 36, RED),
    ):
        style = styles[name]
        style.font.name = "Arial"
        style.font.size = Pt(size)
        style.font.bold = name != "Title"
        style.font.color.rgb = colour or RGBColor(0x22, 0x22, 0x22)
        style.paragraph_format.space_before = Pt(14 if name == "Heading 2" else 0)
        style.paragraph_format.keep_with_next = True


def _table(document: object, table: Table) -> None:
    doc_table = document.add_table(rows=1, cols=len(table.columns))  # type: ignore[attr-defined]
    doc_table.style = "Table Grid"
    doc_table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for index, name in enumerate(table.columns):
        cell = doc_table.rows[0].cells[index]
        cell.text = ""
        run = cell.paragraphs[0].add_run(name)
        run.bold = True
        run.font.size = Pt(8.5)
        if table.numeric(index):
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row in table.rows:
        cells = doc_table.add_row().cells
        for index, value in enumerate(row):
            cells[index].text = ""
            run = cells[index].paragraphs[0].add_run(_cell_text(value))
            run.font.size = Pt(8.5)
            if table.numeric(index):
                cells[index].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if table.note:
        note = document.add_paragraph()  # type: ignore[attr-defined]
        run = note.add_run(table.note)
        run.font.size = Pt(8)
        run.font.color.rgb = GREY
    document.add_paragraph()  # type: ignore[attr-defined]


def _markdown(document: object, text: str) -> None:
    for block in markup.blocks(text):
        if block.kind == "heading":
            paragraph = document.add_paragraph()  # type: ignore[attr-defined]
            run = paragraph.add_run(block.text)
            run.bold = True
            continue
        style = {"bullet": "List Bullet", "number": "List Number", "quote": "Quote"}.get(block.kind)
        paragraph = document.add_paragraph(style=style)  # type: ignore[attr-defined]
        for run_text, bold, italic in markup.inline_runs(block.text):
            run = paragraph.add_run(run_text)
            run.bold = bold or None
            run.italic = italic or None


def _figure(document: object, figure: Figure, number: int) -> None:
    title = document.add_paragraph()  # type: ignore[attr-defined]
    run = title.add_run(figure.title)
    run.bold = True
    run.font.size = Pt(9.5)
    title.paragraph_format.keep_with_next = True
    document.add_picture(io.BytesIO(cached_png(figure.chart)), width=Cm(16))  # type: ignore[attr-defined]
    caption = document.add_paragraph()  # type: ignore[attr-defined]
    notes = [figure.caption] if figure.caption else []
    notes.append(gettext("Tallene står i tabell %(n)s i vedlegget.") % {"n": number})
    run = caption.add_run(" ".join(notes))
    run.font.size = Pt(8.5)
    run.font.color.rgb = GREY


def _block(document: object, block: Block, numbers: dict[int, int]) -> None:
    if isinstance(block, Paragraph):
        document.add_paragraph(block.text)  # type: ignore[attr-defined]
    elif isinstance(block, Note):
        run = document.add_paragraph().add_run(block.text)  # type: ignore[attr-defined]
        run.italic = True
        run.font.color.rgb = GREY
    elif isinstance(block, Markdown):
        _markdown(document, block.text)
    elif isinstance(block, Bullets):
        for item in block.items:
            document.add_paragraph(item, style="List Bullet")  # type: ignore[attr-defined]
    elif isinstance(block, Figure):
        _figure(document, block, numbers[id(block.table)])
    elif block.inline:
        title = document.add_paragraph()  # type: ignore[attr-defined]
        run = title.add_run(block.title)
        run.bold = True
        run.font.size = Pt(9.5)
        title.paragraph_format.keep_with_next = True
        _table(document, block)
    else:
        run = document.add_paragraph().add_run(  # type: ignore[attr-defined]
            gettext("Se tabell %(n)s i vedlegget.") % {"n": numbers[id(block)]}
        )
        run.font.size = Pt(8.5)
        run.font.color.rgb = GREY


def _describe(document: object, report: Report) -> None:
    """Title and language in the file's properties: what Word, a file manager and a screen
    reader show for the document, and the language Word checks its spelling in."""
    language = {"nb": "nb-NO", "en": "en-GB"}.get((get_language() or "nb").split("-")[0], "nb-NO")
    properties = document.core_properties  # type: ignore[attr-defined]
    properties.title = f"{report.title} – {report.service_name}"
    properties.subject = report.service_name
    properties.author = report.service_name
    properties.language = language
    # The default run language: without it Word marks every Norwegian word as misspelt.
    defaults = document.styles.element.find(qn("w:docDefaults"))  # type: ignore[attr-defined]
    run_properties = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    if run_properties is not None:
        rpr = run_properties.find(qn("w:rPr"))
        if rpr is not None:
            lang = rpr.find(qn("w:lang"))
            if lang is None:
                lang = OxmlElement("w:lang")
                rpr.append(lang)
            lang.set(qn("w:val"), language)


def render_docx(report: Report) -> bytes:
    document = Document()
    _styles(document)
    _describe(document, report)
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.2))
    section.different_first_page_header_footer = True

    # Cover.
    for _ in range(6):
        document.add_paragraph()
    kicker = document.add_paragraph()
    run = kicker.add_run(report.service_name.upper())
    run.font.size, run.font.color.rgb, run.font.name = Pt(11), GREY, "Arial"
    document.add_paragraph(gettext("ÅRSRAPPORT"), style="Title")
    year = document.add_paragraph()
    run = year.add_run(str(report.year))
    run.font.size, run.font.color.rgb, run.font.name = Pt(54), RED, "Arial"
    for _ in range(10):
        document.add_paragraph()
    meta = document.add_paragraph()
    text = gettext("Laget %(generated)s fra tjenestens registreringer.") % {
        "generated": norsk.date(report.generated_on)
    }
    if report.min_count:
        text += " " + gettext("Tall under %(n)s er skjult av personvernhensyn.") % {
            "n": report.min_count
        }
    run = meta.add_run(text)
    run.font.size, run.font.color.rgb = Pt(8.5), GREY
    meta.runs[0].add_break(WD_BREAK.PAGE)

    # Contents: a TOC field Word fills in when the document is opened.
    document.add_paragraph(gettext("Innhold"), style="Heading 1")
    _field(
        document.add_paragraph(),
        # Levels 1-3: the campaigns are level 3 under "Kampanjer", as in the HTML and PDF.
        'TOC \\o "1-3" \\h \\z \\u',
        gettext("Høyreklikk og velg «Oppdater felt» for å vise innholdsfortegnelsen."),
    )
    settings = document.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)

    body = document.add_section(WD_SECTION.NEW_PAGE)
    body.different_first_page_header_footer = False
    footer = body.footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(paragraph, "PAGE", "1")
    header = body.header
    header.is_linked_to_previous = False
    head = header.paragraphs[0]
    run = head.add_run(f"{report.service_name} · {report.title}")
    run.font.size, run.font.color.rgb = Pt(7.5), GREY

    in_appendix = [t for t in report.tables() if not t.inline]
    numbers = {id(t): n for n, t in enumerate(in_appendix, start=1)}
    for index, chapter in enumerate(report.chapters):
        heading = document.add_paragraph(f"{chapter.number}. {chapter.title}", style="Heading 1")
        if index:
            heading.paragraph_format.page_break_before = True
        for block in chapter.blocks:
            _block(document, block, numbers)
        for entry in chapter.outline():
            document.add_paragraph(
                f"{entry.number} {entry.section.title}", style=f"Heading {entry.level}"
            )
            for block in entry.section.blocks:
                _block(document, block, numbers)
    appendix = document.add_paragraph(gettext("Vedlegg: Tallgrunnlag"), style="Heading 1")
    appendix.paragraph_format.page_break_before = True
    document.add_paragraph(
        gettext(
            "Tabellene under er tallgrunnlaget for figurene i rapporten. Andeler er "
            "avrundet til hele prosent."
        )
    )
    for table in in_appendix:
        title = document.add_paragraph()
        run = title.add_run(f"{gettext('Tabell')} {numbers[id(table)]}. {table.title}")
        run.bold = True
        run.font.size = Pt(9.5)
        title.paragraph_format.keep_with_next = True
        _table(document, table)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
