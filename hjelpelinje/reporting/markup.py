"""The manager's Markdown, rendered safely for HTML and PDF, and parsed simply for DOCX.

Raw HTML is escaped before Markdown sees it, links keep only http(s) and mailto targets, and
images are dropped: the PDF renderer must never fetch anything from the network.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import markdown
from django.utils.safestring import SafeString, mark_safe
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

_SAFE_SCHEMES = ("http://", "https://", "mailto:", "#")


class _SafeLinks(Treeprocessor):
    def run(self, root: ET.Element) -> None:
        for parent in list(root.iter()):
            for child in list(parent):
                if child.tag == "img":
                    parent.remove(child)
                elif child.tag == "a":
                    href = (child.get("href") or "").strip()
                    if not href.lower().startswith(_SAFE_SCHEMES):
                        child.attrib.pop("href", None)
                    child.attrib.pop("title", None)


class _SafeExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_SafeLinks(md), "hjelpelinje_safe_links", 0)


def to_html(text: str) -> str:
    """Markdown to HTML with every raw tag shown as text."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # A quoted line (`> text`) is still Markdown for a blockquote.
    escaped = re.sub(r"(?m)^(\s*)&gt;", r"\1>", escaped)
    return markdown.markdown(
        escaped, extensions=[_SafeExtension(), "sane_lists"], output_format="html"
    )


def safe_html(text: str) -> SafeString:
    return mark_safe(to_html(text))  # noqa: S308 - to_html escapes every raw tag first


@dataclass
class MdBlock:
    kind: str  # "heading", "paragraph", "bullet", "number", "quote"
    text: str
    level: int = 0


def blocks(text: str) -> list[MdBlock]:
    """A small, predictable reading of Markdown for DOCX: headings, lists, paragraphs."""
    out: list[MdBlock] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            out.append(MdBlock("paragraph", " ".join(paragraph)))
            paragraph.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            flush()
            continue
        heading = re.match(r"^(#{1,6})\s+(.*)$", line)
        bullet = re.match(r"^[-*+]\s+(.*)$", line)
        number = re.match(r"^\d+[.)]\s+(.*)$", line)
        if heading:
            flush()
            out.append(MdBlock("heading", heading.group(2), len(heading.group(1))))
        elif bullet:
            flush()
            out.append(MdBlock("bullet", bullet.group(1)))
        elif number:
            flush()
            out.append(MdBlock("number", number.group(1)))
        elif line.startswith(">"):
            flush()
            out.append(MdBlock("quote", line.lstrip("> ")))
        elif out and out[-1].kind in {"bullet", "number"} and raw.startswith((" ", "\t")):
            out[-1].text += " " + line
        else:
            paragraph.append(line)
    flush()
    return out


_INLINE = re.compile(r"(\*\*[^*]+\*\*|__[^_]+__|\*[^*]+\*|_[^_]+_|\[[^\]]+\]\([^)]+\))")


def inline_runs(text: str) -> list[tuple[str, bool, bool]]:
    """Split a line into (text, bold, italic) runs; links keep their text only."""
    runs: list[tuple[str, bool, bool]] = []
    for part in _INLINE.split(text):
        if not part:
            continue
        if part.startswith(("**", "__")) and len(part) > 4:
            runs.append((part[2:-2], True, False))
        elif part.startswith(("*", "_")) and len(part) > 2:
            runs.append((part[1:-1], False, True))
        elif part.startswith("[") and "](" in part:
            runs.append((part[1 : part.index("](")], False, False))
        else:
            runs.append((part, False, False))
    return runs
