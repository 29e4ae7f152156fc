"""What a person reads in a PDF: its text, whitespace folded (lines break anywhere)."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    assert data.startswith(b"%PDF-"), data[:40]
    reader = PdfReader(io.BytesIO(data))
    return fold(" ".join(page.extract_text() for page in reader.pages))


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class _BodyText(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.skip += tag in ("title", "style")

    def handle_endtag(self, tag: str) -> None:
        self.skip -= tag in ("title", "style")

    def handle_data(self, data: str) -> None:
        if not self.skip and data.strip():
            self.parts.append(fold(data))


def html_texts(page: str) -> list[str]:
    """Each piece of text a person reads on an HTML page (not its title or style)."""
    parser = _BodyText()
    parser.feed(page)
    return parser.parts
