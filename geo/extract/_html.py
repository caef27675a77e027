"""Main text, title and publication date of an HTML page, without navigation or boilerplate."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser

_SKIP = {"script", "style", "nav", "header", "footer", "aside", "form", "noscript", "iframe", "svg", "button",
         "select", "template", "figure", "menu"}
_BLOCK = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "div", "section", "article", "main",
          "br", "tr", "td", "pre", "dd", "dt", "figcaption"}
_BOILER_CLASS = re.compile(r"\b(?:nav|menu|footer|header|sidebar|share|social|related|comment|cookie|banner|"
                           r"breadcrumb|subscribe|newsletter|advert|promo|widget|tags?|byline-share)\b", re.I)
_DATE_META = ("article:published_time", "datepublished", "date", "pubdate", "publishdate", "dc.date",
              "dc.date.issued", "og:published_time", "publication_date", "sailthru.date", "article.published")


@dataclass
class Page:
    """What we keep of an HTML page."""

    text: str
    title: str | None
    date_text: str | None
    paragraphs: list[str] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.skip_depth = 0
        self.blocks: list[tuple[str, str, bool]] = []   # (tag, text, inside <article>/<main>)
        self.current: list[str] = []
        self.current_tag = "p"
        self.title: str | None = None
        self.h1: str | None = None
        self.meta_title: str | None = None
        self.date_text: str | None = None
        self.in_title = False
        self.main_depth = 0
        self.time_texts: list[str] = []

    def _flush(self) -> None:
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append((self.current_tag, text, self.main_depth > 0))
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key in _DATE_META and a.get("content") and not self.date_text:
                self.date_text = a["content"]
            if key in ("og:title", "twitter:title") and a.get("content"):
                self.meta_title = a["content"].strip()
            return
        if tag == "time" and (a.get("datetime") or "") and not self.date_text:
            if "pubdate" in a or "published" in (a.get("class") or "") or a.get("itemprop") == "datePublished":
                self.date_text = a["datetime"]
            else:
                self.time_texts.append(a["datetime"])
        if tag == "title":
            self.in_title = True
        void = tag in ("br", "img", "hr", "input", "meta", "link")
        boiler = tag in _SKIP or bool(_BOILER_CLASS.search(a.get("class", "") + " " + a.get("id", ""))) \
            or a.get("role") in ("navigation", "banner", "contentinfo", "complementary") or "hidden" in a
        if tag in _BLOCK:
            self._flush()
            self.current_tag = tag
        if void:
            return
        self.stack.append((tag, boiler))
        if boiler:
            self.skip_depth += 1
        if tag in ("article", "main") or a.get("role") == "main" or a.get("itemprop") == "articleBody":
            self.main_depth += 1
            self.stack[-1] = (tag + "*", boiler)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag in _BLOCK:
            self._flush()
        while self.stack:
            open_tag, boiler = self.stack.pop()
            if boiler:
                self.skip_depth -= 1
            if open_tag.endswith("*"):
                self.main_depth -= 1
            if open_tag.rstrip("*") == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title = ((self.title or "") + data).strip()
            return
        if self.skip_depth:
            return
        self.current.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def parse_html(markup: str) -> Page:
    """Main text (paragraph per line), title and publication date text of an HTML document."""
    parser = _Parser()
    parser.feed(markup)
    parser.close()
    blocks = parser.blocks
    if any(inside for _, _, inside in blocks):
        blocks = [b for b in blocks if b[2]]
    paragraphs: list[str] = []
    for tag, text, _ in blocks:
        words = len(text.split())
        if tag in ("li", "td", "dd", "dt") and words < 8:
            continue
        if tag.startswith("h") and len(tag) == 2:
            paragraphs.append(text)
            continue
        if words < 4 and not re.search(r"\d{4}", text):
            continue
        paragraphs.append(text)
    h1 = next((t for tag, t, _ in blocks if tag == "h1"), None)
    title = h1 or parser.meta_title or (unescape(parser.title) if parser.title else None)
    date_text = parser.date_text or (parser.time_texts[0] if parser.time_texts else None)
    return Page("\n\n".join(paragraphs), title, date_text, paragraphs)
