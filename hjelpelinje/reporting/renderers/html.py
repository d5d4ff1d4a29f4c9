"""The report as HTML: a standalone page with inline SVG charts, and the source of the PDF."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable

from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from hjelpelinje.reporting import markup, norsk
from hjelpelinje.reporting.charts import cached_svg
from hjelpelinje.reporting.figures import Cell, Figure, Pct, Table
from hjelpelinje.reporting.report.document import Block, Bullets, Markdown, Note, Paragraph, Report

_NUMBER = re.compile(r"\d{1,3}(?: \d{3})+")


def text(value: str) -> str:
    """Escaped text with grouped numbers kept on one line ("2 737 153")."""
    return _NUMBER.sub(lambda m: f'<span class="num">{m.group(0)}</span>', str(escape(value)))


def cell_html(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, Pct):
        return norsk.percent(value.value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return text(norsk.num(value))
    return text(str(value))


def table_html(table: Table, *, caption: bool = True) -> str:
    numeric = [table.numeric(i) for i in range(len(table.columns))]
    head = "".join(
        '<th scope="col" class="{}">{}</th>'.format("n" if numeric[i] else "label", escape(c))
        for i, c in enumerate(table.columns)
    )
    rows = []
    for row in table.rows:
        cells = [f'<th scope="row">{cell_html(row[0])}</th>'] + [
            f'<td class="n">{cell_html(v)}</td>' if numeric[i] else f"<td>{cell_html(v)}</td>"
            for i, v in enumerate(row[1:], start=1)
        ]
        total = ' class="total"' if row[0] == _("Totalt") else ""
        rows.append(f"<tr{total}>" + "".join(cells) + "</tr>")
    cap = f"<caption>{escape(table.title)}</caption>" if caption else ""
    note = f'<p class="table-note">{escape(table.note)}</p>' if table.note else ""
    return (
        f'<table class="figures" data-table="{escape(table.key)}">{cap}'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{note}"
    )


def svg_img(svg: str, alt: str) -> str:
    data = base64.b64encode(svg.encode()).decode()
    return f'<img class="chart" src="data:image/svg+xml;base64,{data}" alt="{escape(alt)}">'


def figure_html(
    figure: Figure,
    *,
    inline_svg: bool,
    svg: Callable[[Figure], str],
    table_number: int | None = None,
) -> str:
    drawing = svg(figure)
    if inline_svg:
        chart = f'<div class="chart" role="img" aria-label="{escape(figure.title)}">{drawing}</div>'
    else:
        chart = svg_img(drawing, figure.title)
    notes = [figure.caption] if figure.caption else []
    if table_number is not None:
        notes.append(_("Tallene står i tabell %(n)s i vedlegget.") % {"n": table_number})
        table = ""
    else:
        table = table_html(figure.table, caption=False)
    caption = f'<p class="caption">{escape(" ".join(notes))}</p>' if notes else ""
    return (
        f'<figure class="figure" id="fig-{escape(figure.key)}">'
        f"<figcaption>{escape(figure.title)}</figcaption>{chart}{caption}{table}</figure>"
    )


def block_html(
    block: Block,
    *,
    inline_svg: bool,
    svg: Callable[[Figure], str],
    numbers: dict[int, int] | None = None,
) -> str:
    if isinstance(block, Paragraph):
        return f"<p>{text(block.text)}</p>"
    if isinstance(block, Note):
        return f'<p class="note">{text(block.text)}</p>'
    if isinstance(block, Markdown):
        return f'<div class="manager-text">{markup.to_html(block.text)}</div>'
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{text(i)}</li>" for i in block.items) + "</ul>"
    if isinstance(block, Figure):
        number = numbers.get(id(block.table)) if numbers is not None else None
        return figure_html(block, inline_svg=inline_svg, svg=svg, table_number=number)
    if numbers is not None and not block.inline:
        note = _("Se tabell %(n)s i vedlegget.") % {"n": numbers[id(block)]}
        return f'<p class="caption">{escape(note)}</p>'
    return table_html(block)


def body_html(
    report: Report,
    *,
    inline_svg: bool,
    tables_inline: bool = True,
    svg: Callable[[Figure], str] | None = None,
) -> SafeString:
    """The chapters; with `tables_inline` off (print) the tables go to an appendix."""
    draw = svg or (lambda figure: cached_svg(figure.chart))
    appendix = [t for t in report.tables() if not t.inline]
    numbers = None if tables_inline else {id(t): n for n, t in enumerate(appendix, start=1)}
    parts = []
    for chapter in report.chapters:
        parts.append(
            f'<section class="chapter" id="{chapter.anchor}">'
            f"<h1>{chapter.number}. {escape(chapter.title)}</h1>"
        )
        parts += [
            block_html(b, inline_svg=inline_svg, svg=draw, numbers=numbers) for b in chapter.blocks
        ]
        # The outline is flat; a subsection's <section> nests in its parent's, so each
        # closes when the next heading is at the same level or higher.
        open_levels: list[int] = []
        for heading in chapter.outline():
            while open_levels and open_levels[-1] >= heading.level:
                open_levels.pop()
                parts.append("</section>")
            open_levels.append(heading.level)
            tag = f"h{min(heading.level, 6)}"
            parts.append(
                f'<section class="section level{heading.level}" id="{heading.anchor}">'
                f"<{tag}>{heading.number} {escape(heading.section.title)}</{tag}>"
            )
            parts += [
                block_html(b, inline_svg=inline_svg, svg=draw, numbers=numbers)
                for b in heading.section.blocks
            ]
        parts += ["</section>"] * len(open_levels)
        parts.append("</section>")
    if numbers is not None:
        parts.append(
            '<section class="chapter appendix" id="vedlegg">'
            f"<h1>{escape(_('Vedlegg: Tallgrunnlag'))}</h1>"
        )
        intro = _(
            "Tabellene under er tallgrunnlaget for figurene i rapporten. Andeler er "
            "avrundet til hele prosent."
        )
        parts.append(f"<p>{escape(intro)}</p>")
        for table in appendix:
            parts.append(
                f'<div class="appendix-table"><h3>{escape(_("Tabell"))} {numbers[id(table)]}. '
                f"{escape(table.title)}</h3>{table_html(table, caption=False)}</div>"
            )
        parts.append("</section>")
    return mark_safe("\n".join(parts))  # noqa: S308 - every value above is escaped


def render_html(report: Report, *, for_pdf: bool = False) -> str:
    return render_to_string(
        "reporting/report_document.html",
        {
            "report": report,
            "body": body_html(report, inline_svg=not for_pdf, tables_inline=not for_pdf),
            "for_pdf": for_pdf,
            "generated": norsk.date(report.generated_on),
            "language": (get_language() or "nb").split("-")[0],
        },
    )
