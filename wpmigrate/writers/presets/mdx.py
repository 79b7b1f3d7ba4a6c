"""Making converted Markdown valid MDX (``@mdx-js/mdx`` ``compile`` must accept it).

MDX reads ``{`` as the start of a JavaScript expression and ``<`` as the start of JSX,
has no HTML comments and requires every element to be closed. Outside fenced and
inline code this filter therefore escapes braces, turns comments into ``{/* */}``,
self-closes void elements (``<br>`` → ``<br />``), turns autolinks into links, renames
``class``/``for`` to ``className``/``htmlFor`` and escapes every ``<`` that does not
start a known HTML element. Code is left untouched: MDX prints it literally.
"""

from __future__ import annotations

import re

VOID = "area base br col embed hr img input link meta param source track wbr".split()
_HTML_TAGS = frozenset(
    VOID
    + """a abbr address article aside audio b bdi bdo blockquote body button canvas caption
    cite code data dd del details dfn dialog div dl dt em fieldset figcaption figure footer
    form h1 h2 h3 h4 h5 h6 header i iframe ins kbd label legend li main mark nav noscript
    object ol optgroup option output p picture pre q s samp section select small span
    strong sub summary sup table tbody td template textarea tfoot th thead time tr u ul
    var video center font big strike tt""".split()
)
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:.+?)\1")
_COMMENT = re.compile(r"<!--(.*?)-->", re.DOTALL)
_AUTOLINK = re.compile(r"<((?:https?|mailto|ftp):[^\s<>]+)>")
_ESCAPABLE = re.compile(r"\\[\s\S]|[{}<]")  # an existing escape pair, or a char to escape
_MDX_COMMENT = re.compile(r"\{/\*.*?\*/\}", re.DOTALL)
_ATTRS = r"(?:[^<>{}]|\{\{[^{}]*\}\}|\{[^{}]*\})"
_TAG = re.compile(rf"<(/?)([A-Za-z][\w-]*)((?:\s{_ATTRS}*?)?)(/?)>", re.DOTALL)
_ATTR_RENAME = re.compile(r"(\s)(class|for)=")
_UNQUOTED = re.compile(r"(\s[\w:-]+)=([^\s\"'>{][^\s>]*)")


def mdx_safe(body: str) -> str:
    """``body`` as MDX: the same text, with the constructs MDX rejects rewritten."""
    out: list[str] = []
    chunk: list[str] = []
    fence = ""
    for line in body.split("\n"):
        match = _FENCE.match(line)
        if fence:
            out.append(line)
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = ""
            continue
        if match:
            out.extend(_text("\n".join(chunk)).split("\n") if chunk else [])
            chunk = []
            fence = match.group(1)
            out.append(line)
            continue
        chunk.append(line)
    if chunk:
        out.extend(_text("\n".join(chunk)).split("\n"))
    return "\n".join(out)


def _text(text: str) -> str:
    """Rewrite prose (no fences): code spans are kept, everything else made MDX-safe."""
    pieces: list[str] = []
    last = 0
    for match in _CODE_SPAN.finditer(text):
        pieces.append(_prose(text[last : match.start()]))
        pieces.append(match.group(0))
        last = match.end()
    pieces.append(_prose(text[last:]))
    return "".join(pieces)


def _prose(text: str) -> str:
    """Escape what MDX would misread, keeping real tags and comments (as placeholders
    while the rest is escaped)."""
    kept: list[str] = []

    def keep(value: str) -> str:
        kept.append(value)
        return f"\x00{len(kept) - 1}\x00"

    text = _MDX_COMMENT.sub(lambda m: keep(m.group(0)), text)
    text = _COMMENT.sub(lambda m: keep("{/*" + m.group(1).replace("*/", "* /") + "*/}"), text)
    text = _AUTOLINK.sub(lambda m: f"[{m.group(1)}]({m.group(1)})", text)

    def keep_tag(match: re.Match[str]) -> str:
        tag = _jsx_tag(match)
        return match.group(0) if tag is None else keep(tag)

    text = _TAG.sub(keep_tag, text)
    text = _ESCAPABLE.sub(lambda m: m.group(0) if len(m.group(0)) == 2 else "\\" + m.group(0),
                          text)
    return re.sub("\x00(\\d+)\x00", lambda m: kept[int(m.group(1))], text)


def _jsx_tag(match: re.Match[str]) -> str | None:
    """A known HTML tag rewritten as JSX, or None for text that only looks like a tag."""
    closing, name, attrs, slash = match.groups()
    if name.lower() not in _HTML_TAGS:
        return None
    attrs = attrs.replace("\n", " ")
    attrs = _UNQUOTED.sub(r'\1="\2"', attrs)
    attrs = _ATTR_RENAME.sub(lambda m: m.group(1) + ("className=" if m.group(2) == "class"
                                                     else "htmlFor="), attrs)
    attrs = re.sub(r"\sstyle=(\"[^\"]*\"|'[^']*')", "", attrs)  # JSX wants an object
    if closing:
        return "" if name.lower() in VOID else f"</{name}>"
    if name.lower() in VOID or slash:
        return f"<{name}{attrs.rstrip()} />"
    return f"<{name}{attrs}>"
