"""Draw the website's icons and default share picture from `icons/icon.svg`.

    .venv/bin/python -m hjelpelinje.site.make_icons

The SVG is the one source: Debian's Chromium (through Playwright, as in the browser
tests) renders it at each size, and Pillow packs the small ones into `favicon.ico`. The
results are committed beside it (hjelpelinje/site/static/site/); run this again after
changing the SVG. There is no web app manifest on purpose: a site a young person may have
to hide should never offer to install itself on her home screen.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

STATIC = Path(__file__).resolve().parent / "static" / "site"
ICONS = STATIC / "icons"
SOURCE = ICONS / "icon.svg"
# Browser tabs (16, 32), Android and desktop shortcuts (192, 512); iOS's home screen
# draws its own rounded corners on a full square (180).
PNG_SIZES = {"icon-32.png": 32, "icon-192.png": 192, "icon-512.png": 512}
APPLE = ("apple-touch-icon.png", 180)
ICO_SIZES = (16, 32, 48)
SHARE = STATIC / "share.png"
SHARE_SIZE = (1200, 630)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _page(svg: str, size: int) -> str:
    return (
        "<!doctype html><style>html,body{margin:0;background:transparent}"
        f"svg{{display:block;width:{size}px;height:{size}px}}</style>{svg}"
    )


def _share(svg: str) -> str:
    width, height = SHARE_SIZE
    return (
        "<!doctype html><style>html,body{margin:0}"
        f"body{{width:{width}px;height:{height}px;background:#0b5394;display:flex;"
        "align-items:center;justify-content:center;gap:48px;color:#fff;"
        "font:700 96px 'DejaVu Sans',sans-serif}"
        "svg{width:260px;height:260px}</style>"
        f"{svg}<span>Hjelpelinjen</span>"
    )


def main() -> None:
    from playwright.sync_api import sync_playwright

    svg = SOURCE.read_text()
    square = svg.replace('rx="14"', 'rx="0"')
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(device_scale_factor=1)

            def shot(html: str, width: int, height: int, *, transparent: bool = True) -> bytes:
                page.set_viewport_size({"width": width, "height": height})
                page.set_content(html)
                data: bytes = page.screenshot(omit_background=transparent)
                return data

            for name, size in PNG_SIZES.items():
                (ICONS / name).write_bytes(shot(_page(svg, size), size, size))
            name, size = APPLE
            (ICONS / name).write_bytes(shot(_page(square, size), size, size, transparent=False))
            SHARE.write_bytes(shot(_share(svg), *SHARE_SIZE, transparent=False))
            big = Image.open(io.BytesIO(shot(_page(svg, 48), 48, 48)))
            big.save(ICONS / "favicon.ico", sizes=[(s, s) for s in ICO_SIZES])
        finally:
            browser.close()


if __name__ == "__main__":
    main()
