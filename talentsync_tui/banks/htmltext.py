"""Anki field HTML as plain text, read with the stdlib tokenizer: markup is never interpreted.

Only text nodes are kept; tags become line breaks or list dashes, entities are decoded, and the
content of ``<script>``, ``<style>`` and other non-text elements is dropped, so nothing a hostile
deck puts in a field can run or show up as code.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Elements whose content is never text a candidate should read.
_DROP = frozenset({"script", "style", "head", "title", "template", "noscript", "iframe", "object", "svg", "math"})
_BLOCKS = frozenset({
    "div", "p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "pre", "blockquote", "ul", "ol", "table",
    "section", "article", "header", "footer", "dt", "dd", "hr",
})


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.dropping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROP:
            self.dropping.append(tag)
        elif self.dropping:
            return
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _DROP:  # <script/> opens nothing
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP:
            if tag in self.dropping:  # close up to the matching opener; a stray closer is ignored
                while self.dropping and self.dropping.pop() != tag:
                    pass
        elif not self.dropping and tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment: line breaks kept, tags dropped, entities decoded."""
    parser = _TextOnly()
    parser.feed(markup)
    parser.close()
    text = "".join(parser.parts).replace("\xa0", " ")
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{2,}", "\n", "\n".join(lines)).strip()  # block tags leave runs of empty lines
