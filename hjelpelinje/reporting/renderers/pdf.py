"""The report as PDF through WeasyPrint: cover, contents with page numbers, vector charts."""

from __future__ import annotations

from hjelpelinje.reporting.renderers.html import render_html
from hjelpelinje.reporting.report.document import Report


def render_pdf(report: Report) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_html(report, for_pdf=True)
    # The charts are embedded as data: URLs. Nothing else is fetched, so a link or image in a
    # manager's text can never make the server reach out to the network or read a file.
    fetcher = URLFetcher(allowed_protocols={"data"})
    document = HTML(string=html, url_fetcher=fetcher, base_url="data:,")
    pdf: bytes = document.write_pdf()
    return pdf
