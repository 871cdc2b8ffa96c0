"""Anki field HTML to drill text (Markdown-ish) and back.

Import: `<br>`, `<div>`, `<p>` and other blocks become line breaks, lists become "- " lines,
`<b>`/`<i>` become Markdown emphasis, entities are decoded, and media (`<img>`, `[sound:…]`)
is dropped and counted. Export (`text_to_html`) is its inverse for drill text: every
`from_html(text_to_html(t))` gives `t` back, so decks survive a round trip through Anki.

Only the standard library's html.parser is used; nothing is ever fetched or written.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

from drill.core.model import Example
from drill.core.sanitize import CONTROL_CHARS

# Whitespace that came from an entity (&nbsp;, &#9;, …) is kept; raw whitespace collapses as
# in a browser. Private-use sentinels carry the kept kind through collapsing.
_KEEP = {" ": "\ue000", "\xa0": "\ue000", "\t": "\ue001", "\n": "\ue002", "\r": "\ue002"}
_UNKEEP = str.maketrans({"\ue000": " ", "\ue001": "\t", "\ue002": "\n"})
_SENTINELS = re.compile("[\ue000-\ue002]")
_RAW_SPACE = re.compile(r"[ \t\n\r\f\v]+")
_SOUND = re.compile(r"\[sound:[^\]]*\]")

_VOID = frozenset(
    (
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    )
)
_SKIP = frozenset(("script", "style", "head", "title", "template"))
_BLOCK = frozenset(
    (
        "address",
        "article",
        "aside",
        "blockquote",
        "center",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "ul",
        "li",
    )
)
_BOLD = frozenset(("b", "strong"))
_ITALIC = frozenset(("i", "em"))


@dataclass(slots=True)
class Node:
    """An element of a parsed field; text children are strings (with kept-space sentinels)."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    def has_class(self, name: str) -> bool:
        return name in self.attrs.get("class", "").split()


# Elements nest at most this deep; deeper ones are read as siblings (as browsers cap it too),
# so 50,000 nested <div>s cost neither the stack nor minutes.
MAX_DEPTH = 64


class _TreeBuilder(HTMLParser):
    def __init__(self, media: Counter[str]) -> None:
        super().__init__(convert_charrefs=False)
        self.root = Node("")
        self.stack = [self.root]
        self.media = media

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        if tag == "img":
            self.media["image"] += 1
        self.stack[-1].children.append(node)
        if tag not in _VOID and len(self.stack) < MAX_DEPTH:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.media["image"] += 1
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        # Lenient like a browser: close up to the matching open element, ignore strays.
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self._text(_SENTINELS.sub("", data).replace("\xa0", "\ue000"))

    def handle_entityref(self, name: str) -> None:
        char = html.unescape(f"&{name};")
        self._text(_kept(char) if char != f"&{name};" else char)

    def handle_charref(self, name: str) -> None:
        self._text(_kept(html.unescape(f"&#{name};")))

    def _text(self, text: str) -> None:
        children = self.stack[-1].children
        if children and isinstance(children[-1], str):
            children[-1] += text
        else:
            children.append(text)


def _kept(char: str) -> str:
    return "".join(_KEEP.get(c, c) for c in _SENTINELS.sub("", char))


def parse(fragment: str, media: Counter[str] | None = None) -> Node:
    """Parse field HTML into a tree; `[sound:…]` references and images are counted in `media`."""
    counter = media if media is not None else Counter()
    sounds = len(_SOUND.findall(fragment))
    if sounds:
        counter["sound"] += sounds
        fragment = _SOUND.sub("", fragment)
    builder = _TreeBuilder(counter)
    builder.feed(fragment)
    builder.close()
    return builder.root


class _Writer:
    """Renders nodes to text the way a browser lays them out, in Markdown-ish syntax."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.line_has_text = False
        self.lists: list[list[int | str]] = []  # [kind, next number] per open list
        self.bold = 0
        self.italic = 0

    def text(self, text: str) -> None:
        text = _RAW_SPACE.sub(" ", text)
        if text:
            self.parts.append(text)
            if text.strip(" "):
                self.line_has_text = True

    def newline(self) -> None:
        self.parts.append("\n")
        self.line_has_text = False

    def ensure_line(self) -> None:
        if self.line_has_text:
            self.newline()

    def render(self, nodes: list[Node | str]) -> None:
        for node in nodes:
            if isinstance(node, str):
                self.text(node)
            else:
                self.element(node)

    def element(self, node: Node) -> None:
        tag = node.tag
        if tag in _SKIP:
            return
        if tag == "br":
            self.newline()
        elif tag in ("ul", "ol"):
            self.ensure_line()
            self.lists.append([tag, 1])
            self.render(node.children)
            self.lists.pop()
            self.ensure_line()
        elif tag == "li":
            self.ensure_line()
            if self.lists:
                kind, number = self.lists[-1]
                marker = f"{number}. " if kind == "ol" else "- "
                self.lists[-1][1] = int(number) + 1
                indent = "\ue000\ue000" * (len(self.lists) - 1)
            else:
                marker, indent = "- ", ""
            self.parts.append(indent + marker)
            self.line_has_text = True
            self.render(node.children)
            self.ensure_line()
        elif tag in _BLOCK:
            self.ensure_line()
            self.render(node.children)
            self.ensure_line()
        elif tag in ("td", "th"):
            if self.line_has_text:
                self.parts.append(" | ")
            self.render(node.children)
        elif tag in _BOLD and not self.bold:
            self.bold += 1
            self.emphasis("**", node)
            self.bold -= 1
        elif tag in _ITALIC and not self.italic:
            self.italic += 1
            self.emphasis("*", node)
            self.italic -= 1
        else:
            self.render(node.children)

    def emphasis(self, marker: str, node: Node) -> None:
        start = len(self.parts)
        self.render(node.children)
        inner = "".join(self.parts[start:])
        del self.parts[start:]
        core = inner.strip(" ")
        if not core.strip():
            self.parts.append(inner)
            return
        # Markdown emphasis must hug its text: keep surrounding spaces outside the markers.
        lead = inner[: len(inner) - len(inner.lstrip(" "))]
        trail = inner[len(inner.rstrip(" ")) :]
        self.parts.append(f"{lead}{marker}{core}{marker}{trail}")

    def result(self) -> str:
        lines = "".join(self.parts).split("\n")
        text = "\n".join(line.strip(" ") for line in lines).translate(_UNKEEP)
        return CONTROL_CHARS.sub("", text).strip()


def render(nodes: list[Node | str]) -> str:
    """Text of a list of parsed nodes (a field, or part of one)."""
    writer = _Writer()
    writer.render(nodes)
    return writer.result()


# Fields as drill's own export writes them, with no markup, entity, bracket, control
# character or whitespace run inside their text, read without html.parser (an Anki text file
# of 5,000 notes has 50,000 fields). Each shortcut gives exactly what the parser would
# (tests/test_anki_html_fast.py).
# The Anki text reader (`io/anki/text.py`) takes these shortcuts for a whole row at once.
UL_OPEN, LI_BETWEEN, UL_CLOSE = "<ul><li>", "</li><li>", "</li></ul>"
LIST_INNER = slice(len(UL_OPEN), -len(UL_CLOSE))
EXAMPLE_BLOCKS = re.compile(
    r'(?:<div class="drill-example">(?:<div class="drill-label">[^<>]*</div>)?'
    r'<div class="drill-text">[^<>]*</div></div>)+'
)
EXAMPLE_BLOCK = re.compile(
    r'<div class="drill-example">(?:<div class="drill-label">([^<>]*)</div>)?'
    r'<div class="drill-text">([^<>]*)</div></div>'
)


def is_plain(text: str) -> bool:
    """Is `text` read as itself (stripped): no markup, entity, media reference, control or
    invisible character, or whitespace run for the parser to read?"""
    # str.isprintable is False for every control character, U+007F-U+00A0 and private use
    # (and for other invisible characters, which the parser then reads): a single pass in C,
    # then a few substring tests, where the regex alone took twice as long.
    return (
        text.isprintable()
        and "<" not in text
        and ">" not in text
        and "&" not in text
        and "[" not in text
        and "  " not in text
    )


def from_html(fragment: str, media: Counter[str] | None = None) -> str:
    """Field HTML as drill text; media references are dropped and counted in `media`."""
    if is_plain(fragment):
        return fragment.strip()
    return render(parse(fragment, media).children)


def items_from_html(fragment: str, media: Counter[str] | None = None) -> list[str]:
    """A list field: the items of its top-level lists, other text line by line."""
    if fragment.startswith(UL_OPEN) and fragment.endswith(UL_CLOSE):
        inner = fragment[LIST_INNER]
        # One search for all the items: '|' is plain, and no two spaces can meet across it.
        if is_plain(inner.replace(LI_BETWEEN, "|")):
            return [item for item in map(str.strip, inner.split(LI_BETWEEN)) if item]
    elif is_plain(fragment):
        return [fragment.strip()] if fragment.strip() else []
    return _items_parsed(fragment, media)


def _items_parsed(fragment: str, media: Counter[str] | None) -> list[str]:
    items: list[str] = []
    loose: list[Node | str] = []

    def flush() -> None:
        items.extend(line.strip() for line in render(loose).split("\n") if line.strip())
        loose.clear()

    for node in parse(fragment, media).children:
        if isinstance(node, Node) and node.tag in ("ul", "ol"):
            flush()
            for child in node.children:
                if isinstance(child, Node) and child.tag == "li":
                    text = render(child.children)
                    if text:
                        items.append(text)
                elif isinstance(child, Node):
                    loose.append(child)
            flush()
        else:
            loose.append(node)
    flush()
    return items


def examples_from_html(fragment: str, media: Counter[str] | None = None) -> list[Example]:
    """The Examples field as drill writes it (labelled blocks), or its text as one example."""
    one = EXAMPLE_BLOCK.fullmatch(fragment)
    if one is not None:  # the usual case: a single example, one regex
        label, text = (one.group(1) or "").strip(), one.group(2).strip()
        if is_plain(label) and is_plain(text):
            return [Example(label, text)] if label or text else []
    elif EXAMPLE_BLOCKS.fullmatch(fragment):
        found = [
            Example(label.strip(), text.strip()) for label, text in EXAMPLE_BLOCK.findall(fragment)
        ]
        if all(is_plain(e.label) and is_plain(e.text) for e in found):
            return [e for e in found if e.label or e.text]
    elif is_plain(fragment):
        return [Example("", fragment.strip())] if fragment.strip() else []
    return _examples_parsed(fragment, media)


def _examples_parsed(fragment: str, media: Counter[str] | None) -> list[Example]:
    root = parse(fragment, media)
    blocks = [n for n in root.children if isinstance(n, Node) and n.has_class("drill-example")]
    if not blocks:
        text = render(root.children)
        return [Example("", text)] if text else []
    examples = []
    for block in blocks:
        label, text = "", ""
        for child in block.children:
            if isinstance(child, Node) and child.has_class("drill-label"):
                label = render(child.children)
            elif isinstance(child, Node) and child.has_class("drill-text"):
                text = render(child.children)
        if text or label:
            examples.append(Example(label, text))
    return examples


# -- export ----------------------------------------------------------------------------------

_BOLD_MD = re.compile(r"\*\*(?=[^\s*<>])([^<>]*?[^\s*<>])\*\*")
_ITALIC_MD = re.compile(r"(?<!\*)\*(?=[^\s*<>])([^<>*]*?[^\s*<>])\*(?!\*)")
_NEEDS_NBSP = re.compile(r"^ +| +$| {2,}")


def _escape_line(line: str) -> str:
    # Spaces a browser would collapse (leading, trailing, repeated) become &nbsp;.
    out = html.escape(line, quote=False)
    out = _NEEDS_NBSP.sub(lambda m: "&nbsp;" * len(m.group()), out)
    out = out.replace("\t", "&#9;").replace("\xa0", "&nbsp;")
    # Deck text that reads like a sound reference stays text (Anki would try to play it).
    out = out.replace("[sound:", "&#91;sound:")
    out = _BOLD_MD.sub(r"<b>\1</b>", out)
    return _ITALIC_MD.sub(r"<i>\1</i>", out)


def _is_item(line: str) -> bool:
    return line.startswith("- ") and len(line) > 2


def text_to_html(text: str) -> str:
    """Drill text as field HTML: escaped, "- " lines as <ul>, line breaks as <br>."""
    text = CONTROL_CHARS.sub("", text)
    lines = text.split("\n")
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if _is_item(line):
            out.append("<ul>")
            while index < len(lines) and _is_item(lines[index]):
                out.append(f"<li>{_escape_line(lines[index][2:])}</li>")
                index += 1
            out.append("</ul>")
            continue
        out.append(_escape_line(line))
        following = lines[index + 1] if index + 1 < len(lines) else None
        # A block (the list) starts on a fresh line by itself; only a blank line needs a <br>.
        if following is not None and (not _is_item(following) or not line):
            out.append("<br>")
        index += 1
    return "".join(out)


def items_to_html(items: list[str]) -> str:
    """A list field as a <ul>; empty for no items."""
    if not items:
        return ""
    return "<ul>" + "".join(f"<li>{text_to_html(item)}</li>" for item in items) + "</ul>"


def examples_to_html(examples: list[Example]) -> str:
    """Labelled example blocks that `examples_from_html` reads back."""
    out = []
    for example in examples:
        label = (
            f'<div class="drill-label">{text_to_html(example.label)}</div>' if example.label else ""
        )
        out.append(
            f'<div class="drill-example">{label}'
            f'<div class="drill-text">{text_to_html(example.text)}</div></div>'
        )
    return "".join(out)


def media_summary(media: Counter[str]) -> str:
    """Text like "2 images and 1 sound", for the one warning about dropped media."""
    parts = []
    for kind in ("image", "sound"):
        count = media.get(kind, 0)
        if count:
            parts.append(f"{count} {kind}{'' if count == 1 else 's'}")
    return " and ".join(parts)
