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


# Block elements only need to start on a line of their own: a "soft" break that merges with its
# neighbours, while each <br> is a real line break (so <br><br> keeps its blank line).
_SOFT = "\x00"
_BREAKS = re.compile("\n*\x00[\x00\n]*")


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
            self.parts.append(_SOFT + "- ")
        elif tag in _BLOCKS:
            self.parts.append(_SOFT)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _DROP:  # <script/> opens nothing
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP:
            if tag in self.dropping:  # close up to the matching opener; a stray closer is ignored
                while self.dropping and self.dropping.pop() != tag:
                    pass
        elif not self.dropping and tag in _BLOCKS:
            self.parts.append(_SOFT)

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.parts.append(data.replace(_SOFT, ""))


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment: line breaks kept, tags dropped, entities decoded."""
    parser = _TextOnly()
    parser.feed(markup)
    parser.close()
    text = "".join(parser.parts).replace("\xa0", " ")
    text = _BREAKS.sub(lambda match: "\n" * max(1, match.group().count("\n")), text)
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n").strip()
