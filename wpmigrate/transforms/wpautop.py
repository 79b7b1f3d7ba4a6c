"""WordPress's ``wpautop``: turn blank-line separated text into ``<p>`` and ``<br />``.

Classic-editor content is stored without paragraphs; WordPress adds them on display
(``the_content`` → ``wpautop``). This module reproduces that behaviour, derived from
WordPress's documented behaviour and its unit tests (``tests/formatting/wpAutop.php``):

* runs of blank lines separate paragraphs; a single newline becomes ``<br />``;
* block-level tags (``div``, ``ul``, ``table``, ``h1``… ``figure``) are never wrapped
  in ``<p>`` and get no ``<br />`` next to them;
* nothing is inserted inside ``<pre>``, ``<script>``, ``<style>``, ``<textarea>``,
  ``<svg>``, HTML comments, CDATA or tags themselves (their newlines are kept);
* ``<option>``, ``<param>``/``<embed>`` in ``<object>``, ``<source>``/``<track>`` in
  media elements, and ``<figcaption>`` are kept tight;
* ``<!--more-->`` and ``<!--nextpage-->`` stay on their own, outside any paragraph.

The implementation works in named steps over a text whose opaque parts (raw-text
elements and comments) are first swapped for placeholders, so each step is a simple
transformation that cannot touch protected text.
"""

from __future__ import annotations

import re
from collections.abc import Callable

#: Block-level element names (WordPress's ``$allblocks``).
BLOCK_NAMES = (
    "table", "thead", "tfoot", "caption", "col", "colgroup", "tbody", "tr", "td", "th",
    "div", "dl", "dd", "dt", "ul", "ol", "li", "pre", "form", "map", "area", "blockquote",
    "address", "style", "p", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "fieldset",
    "legend", "section", "article", "aside", "hgroup", "header", "footer", "nav",
    "figure", "figcaption", "details", "menu", "summary", "math",
)  # fmt: skip


def caseless(char: str) -> str:
    """A case-sensitive regex for what ``char`` matches under ``re.IGNORECASE``: the
    letter in both cases and the non-ASCII letters ``re`` folds to it (see
    ``fold_case``). Case-sensitive patterns are faster in an alternation: ``re`` turns
    a branch down by its first character class instead of entering it."""
    if not char.isascii() or not char.isalpha():
        return re.escape(char)
    extra = "".join(k for k, v in _ASCII_FOLD.items() if v == char.lower())
    return f"[{char.lower()}{char.upper()}{extra}]"


def trie_alternation(
    words: tuple[str, ...] | list[str], char: Callable[[str], str] = re.escape
) -> str:
    """A regex alternation matching exactly ``words``, factored by common prefixes.

    ``(?:t(?:able|d|h(?:ead)?…)|…)`` instead of ``table|thead|…``: ``re`` tries every
    branch at every ``<`` of a body, and with 47 names (case-insensitively) that made
    the block-tag patterns the slowest steps of wpautop. ``char`` spells each letter.
    """
    groups: dict[str, list[str]] = {}
    for word in sorted(set(words)):
        groups.setdefault(word[0], []).append(word[1:])
    branches = []
    for head, tails in groups.items():
        rest = [tail for tail in tails if tail]
        inner = trie_alternation(rest, char) if rest else ""
        if rest and len(rest) < len(tails):  # a word also ends here
            inner = f"(?:{inner})?"
        branches.append(char(head) + inner)
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


#: The non-ASCII letters ``re.IGNORECASE`` matches to ASCII ones.
_ASCII_FOLD = {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}
_BLOCKS = trie_alternation(BLOCK_NAMES)
#: The same, case-insensitive by its letters' classes (see ``caseless``).
_CASELESS_BLOCKS = trie_alternation(BLOCK_NAMES, caseless)
_PH_OPEN, _PH_MARKER, _PH_CLOSE = "\ufdd0", "\ufdd2", "\ufdd1"
_TAG_NEWLINE = "\ufdd3"  # a newline inside a tag: kept, but never a line break
_OWN_CHARS = (_PH_OPEN, _PH_MARKER, _PH_CLOSE, _TAG_NEWLINE)  # (a text holding one: general path)
_PLACEHOLDER = re.compile(f"[{_PH_OPEN}{_PH_MARKER}](\\d+){_PH_CLOSE}")
_MARKER_PLACEHOLDER = re.compile(f"{_PH_MARKER}\\d+{_PH_CLOSE}")
_RAW_ELEMENT = re.compile(
    r"(<(pre|script|style|textarea|svg)\b[^>]*>)(.*?)(</\2\s*>)", re.IGNORECASE | re.DOTALL
)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_SPLIT_MARKER = re.compile(r"<!--(?:more|nextpage)(?:\s.*?)?-->")
#: A tag holding a newline (``<[^<>]*>`` with a newline: the tags ``_protect`` changes).
_TAG_WITH_NEWLINE = re.compile(r"<[^<>\n]*\n[^<>]*>")
_BR_PAIR = re.compile(r"<br\s*/?>\s*<br\s*/?>", re.IGNORECASE)
#: The ``<`` of a block start tag (``<name`` then a space, ``/`` or ``>``). The class of
#: the names' first letters turns most other tags down before the alternation is tried.
_FIRST_LETTERS = "".join(sorted({name[0] for name in BLOCK_NAMES}))
_CASELESS_FIRST = "".join(caseless(letter)[1:-1] for letter in _FIRST_LETTERS)
_BLOCK_OPEN = re.compile(f"<(?=[{_CASELESS_FIRST}])(?=(?:{_CASELESS_BLOCKS})[\\s/>])")
_BLOCK_CLOSE = re.compile(f"(</(?:{_CASELESS_BLOCKS})>)")
_HR = re.compile(r"(<hr\s*?/?>)", re.IGNORECASE)
_TIGHT_INNER = (
    (re.compile(r"\s*(<option\b|</option>)", re.IGNORECASE), r"\1"),
    (re.compile(r"(</?option\b[^>]*>)\s*", re.IGNORECASE), r"\1"),
    (re.compile(r"\s*(</?(?:param|embed)\b[^>]*>)\s*", re.IGNORECASE), r"\1"),
    (re.compile(r"\s*(</?(?:source|track)\b[^>]*>)\s*", re.IGNORECASE), r"\1"),
    (re.compile(r"\s*(</?figcaption\b[^>]*>)\s*", re.IGNORECASE), r"\1"),
)
_OBJECT_OR_MEDIA = re.compile(r"<(object|audio|video)\b.*?</\1>", re.IGNORECASE | re.DOTALL)
#: A block tag: ``</?(?:BLOCKS)[^>]*>``. The name is atomic and the attributes possessive
#: (no backtracking into them: whatever the name matched, the tag ends at the first
#: ``>``), as is each ``\s*`` before a ``<`` below: same matches, less work on failures.
_ANY_BLOCK_TAG = f"</?(?>{_BLOCKS})[^>]*+>"
_EMPTY_P = re.compile(r"<p>\s*</p>")
_P_BEFORE_CLOSE = re.compile(r"<p>([^<]+)</(div|address|form)>")
#: (Each look-ahead below only restates what the rest of its pattern requires, so that
#: most tags are turned down before the block-name alternation is tried.)
_P_AROUND_BLOCK = re.compile(
    f"<p>\\s*+((?=<[^>]*+>\\s*+</p>){_ANY_BLOCK_TAG})\\s*+</p>", re.IGNORECASE
)
_P_AROUND_LI = re.compile(r"<p>(<li.+?)</p>")
_P_BLOCKQUOTE = re.compile(r"<p><blockquote([^>]*)>", re.IGNORECASE)
_P_BEFORE_BLOCK = re.compile(
    f"<p>\\s*+((?=</?[{_FIRST_LETTERS}]){_ANY_BLOCK_TAG})", re.IGNORECASE
)


def _block_tag_before(follower: str) -> re.Pattern[str]:
    r"""``(BLOCK_TAG)\s*+FOLLOWER``, with a look-ahead right after the ``<`` that checks
    ``[^>]*+>\s*+FOLLOWER`` first: the block tag ends at the first ``>`` anyway, so the
    matches are the same, but most tags (not followed by FOLLOWER) are then turned
    down by a scan to their ``>`` instead of the block-name alternation (2-3x faster).
    """
    tag = f"<(?=[^>]*+>\\s*+{follower}){_ANY_BLOCK_TAG[1:]}"
    return re.compile(f"({tag})\\s*+{follower}", re.IGNORECASE)


_P_AFTER_BLOCK = _block_tag_before("</p>")
_BR_SPELLINGS = re.compile(r"<br>|<br/>", re.IGNORECASE)
#: ``(?<!<br />)\s*\n``, spelled to start with ``\s`` so that ``re`` skips to the next
#: whitespace instead of checking the look-behind at every position (2.5× faster).
_LINE_BREAK = re.compile(r"\s(?<!<br />\s)(?:\s*\n|(?<=\n))")
_BR_AFTER_BLOCK = _block_tag_before("<br />")
_BR_BEFORE_TAG = re.compile(
    r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", re.IGNORECASE
)
_MARKER_BREAK = re.compile(f"({_MARKER_PLACEHOLDER.pattern})<br />\n")
_RAW_OPENERS = ("<pre", "<script", "<style", "<textarea", "<svg")
#: A regular chunk: an optional block start tag (as ``_BLOCK_OPEN`` finds them, no
#: ``<`` inside), inline content (no tag whose name starts like a block name's, no
#: ``<br``, no marker) and an optional block end tag (as ``_BLOCK_CLOSE`` finds them).
_REGULAR_CHUNK = re.compile(
    f"(<(?P<start>{_CASELESS_BLOCKS})(?=[\\s/>])[^<>]*>)?"
    f"([^<{_PH_MARKER}]*+(?:<(?!/?(?:{_CASELESS_BLOCKS})|[bB][rR])[^<{_PH_MARKER}]*+)*+)"
    f"(</(?P<end>{_CASELESS_BLOCKS})>)?"
)
#: Tag names (as matched; None: no tag) of chunks that need no ``_unwrapped_named``:
#: any other spelling or name goes that way, which only costs a little more.
_PLAIN_NAMES = frozenset(BLOCK_NAMES) - {"p", "blockquote"} | {None}
#: The end tags ``_P_BEFORE_CLOSE`` closes a paragraph before.
_CLOSES_AFTER_TEXT = frozenset({"</div>", "</address>", "</form>"})
#: What separates paragraphs: a run of whitespace holding two newlines or more, from its
#: first newline to its last. (WordPress first collapses runs of newlines to two: that
#: only changes text inside these separators, so the paragraphs are the same without.)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def wpautop(text: str, br: bool = True) -> str:
    """Add ``<p>`` and (when ``br``) ``<br />`` to classic-editor text, like WordPress.

    ``text`` must not hold U+FDD0 to U+FDD3, the placeholders wpautop puts in while it
    works (Unicode noncharacters; the callers remove every one of them from content
    first, see ``markup.has_sentinels``): one could make it fail.
    """
    if not text.strip():
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "<" not in text and (text.isascii() or not any(c in text for c in _OWN_CHARS)):
        return plain_paragraphs(text, br)
    return _wpautop(text, br)


def plain_paragraphs(text: str, br: bool) -> str:
    """``_wpautop`` of a text without any ``<``: its paragraphs, their newlines as breaks.

    With no tag in the text, every step but the paragraphs and the breaks leaves it
    as it is, and the only ``<br />`` left out is the one after each ``</p>``.
    """
    parts = [part for part in map(str.strip, _PARAGRAPH_BREAK.split(text)) if part]
    if br:
        parts = [line_breaks(part) for part in parts]
    return "".join([f"<p>{part}</p>\n" for part in parts])


def _wpautop(text: str, br: bool) -> str:
    r"""The general ``wpautop`` of a non-blank text whose newlines are all ``\n``."""
    stash: list[str] = []
    lower = fold_case(text)  # to skip the steps whose tags the text does not hold at all
    text = _protect(text, stash, lower)
    if "<br" in lower:
        text = _BR_PAIR.sub("\n\n", text)
    text = _isolate_blocks(text, lower)
    text = _tighten_media(text, lower)
    parts = _PARAGRAPH_BREAK.split(text)
    html = regular_paragraphs(parts, br)
    if html is None:  # (some chunk of a shape the passes below may join to its neighbours)
        html = _paragraphs(parts, _PH_MARKER in text)
        html = _unwrap_blocks(html)
        if br:
            html = _add_breaks(html)
        html = _remove_block_breaks(html)
    return _restore(html, stash).rstrip("\n") + "\n"


def fold_case(text: str) -> str:
    """``text`` lower-cased so that every ASCII word an ``IGNORECASE`` pattern can match
    in it is found with ``in``: the few non-ASCII letters ``re`` matches to ASCII ones
    (``ſ`` = s, ``ı``/``İ`` = i, Kelvin ``K`` = k) are folded too. For cheap guards only.
    """
    if text.isascii():
        return text.lower()
    # (str.translate looks every character up in the mapping: far slower than replace)
    for char, ascii_letter in _ASCII_FOLD.items():
        text = text.replace(char, ascii_letter)
    return text.lower()


def _protect(text: str, stash: list[str], lower: str) -> str:
    """Swap raw-text element bodies, comments and newlines inside tags for placeholders.

    ``lower`` is the lower-cased text, to skip the patterns that cannot match.
    """

    def keep(value: str, kind: str = _PH_OPEN) -> str:
        stash.append(value)
        return f"{kind}{len(stash) - 1}{_PH_CLOSE}"

    if any(opener in lower for opener in _RAW_OPENERS):
        text = _RAW_ELEMENT.sub(lambda m: m.group(1) + keep(m.group(3)) + m.group(4), text)
    if "<!--" in text:
        text = _SPLIT_MARKER.sub(lambda m: "\n\n" + keep(m.group(0), _PH_MARKER) + "\n\n", text)
        text = _COMMENT.sub(lambda m: keep(m.group(0)), text)
    if "\n" not in text or "<" not in text:
        return text
    return _TAG_WITH_NEWLINE.sub(lambda m: m.group(0).replace("\n", _TAG_NEWLINE), text)


def _isolate_blocks(text: str, lower: str) -> str:
    """Put blank lines around block-level tags so they become their own paragraphs."""
    if "<" not in text:
        return text
    text = _BLOCK_OPEN.sub("\n\n<", text)
    text = _append_to_matches(_BLOCK_CLOSE, text, "\n\n")
    return _append_to_matches(_HR, text, "\n\n") if "<hr" in lower else text


def _append_to_matches(pattern: re.Pattern[str], text: str, suffix: str) -> str:
    """``pattern.sub(r"\1" + suffix, text)`` for a pattern whose one group is the whole
    match, but without running Python code per match (as a ``\1`` template does): split
    puts each match between the pieces."""
    pieces = pattern.split(text)
    pieces[1::2] = [match + suffix for match in pieces[1::2]]
    return "".join(pieces)


def _keep_group(pattern: re.Pattern[str], text: str) -> str:
    """``pattern.sub(r"\1", text)`` for a pattern with one group that always takes part
    in a match: split puts each match's group (and nothing else of it) between the
    pieces, with no Python code run per match as a ``\1`` template does."""
    return "".join(pattern.split(text))


def _tighten_media(text: str, lower: str) -> str:
    """Remove whitespace around option/param/embed/source/track/figcaption tags."""
    if "<option" in lower or "</option" in lower:  # (no step before joins a "<" to a name)
        for pattern, replacement in _TIGHT_INNER[:2]:
            text = pattern.sub(replacement, text)

    def tighten(match: re.Match[str]) -> str:
        chunk = match.group(0)
        for pattern, replacement in _TIGHT_INNER[2:4]:
            chunk = pattern.sub(replacement, chunk)
        return re.sub(r"\s*\n\s*", "", chunk) if "\n" in chunk else chunk

    if "<object" in lower or "<audio" in lower or "<video" in lower:
        text = _OBJECT_OR_MEDIA.sub(tighten, text)
    if "figcaption" not in lower:
        return text
    pattern, replacement = _TIGHT_INNER[4]
    return pattern.sub(replacement, text)


def _paragraphs(parts: list[str], markers: bool) -> str:
    """Wrap each blank-line separated chunk in ``<p>`` unless it is only a marker
    (``markers``: whether the text holds any marker placeholder at all)."""
    if not markers:
        return "".join([f"<p>{part}</p>\n" for part in map(str.strip, parts) if part])
    return "".join([_paragraph(part) for part in map(str.strip, parts) if part])


def regular_paragraphs(parts: list[str], br: bool) -> str | None:
    """What ``_paragraphs`` and the passes after it make of ``parts``, one chunk at a
    time; None when a chunk is not regular (then those passes must run).

    The passes scan the whole body about ten times, and tag-dense bodies (tables,
    lists) cost them most. But after ``_isolate_blocks`` a chunk is nearly always a
    block start tag, inline content and a block end tag, each optional: then what the
    passes do to its ``<p>…</p>`` depends on those three only (``_unwrapped``), the
    line breaks stay inside it, and nothing joins it to its neighbours as long as it
    ends with a block tag (the break after it is then dropped, and no paragraph start
    or end is left at its edges). A chunk that is a marker alone ends as the marker.
    """
    out: list[str] = []
    open_end: bool | str = False  # the last chunk ends with no block tag: the break after it stays
    for part in parts:
        chunk = part.strip()
        if not chunk:
            continue
        match = _REGULAR_CHUNK.fullmatch(chunk)
        if match is not None:
            # (_REGULAR_CHUNK has exactly the five groups _chunk_html takes before br)
            html = _chunk_html(*match.groups(), br)  # type: ignore[call-arg, arg-type]
        else:
            html = chunk if _MARKER_PLACEHOLDER.fullmatch(chunk) else None
        if html is None:
            return None
        if open_end and not _BR_BEFORE_TAG.match(f"<br />\n{html}"):
            out[-1] += "<br />"
        # (only a <li> that lost its </p> ends so: any other chunk ends with a block tag)
        open_end = br and match is not None and match[3] and match[4] is None
        open_end = open_end and not html.endswith("</p>")
        out.append(html)
    if open_end:
        out[-1] += "<br />"
    out.append("")
    return _join_last_line("\n".join(out))


def _chunk_html(
    start: str | None,
    start_name: str | None,
    inner: str,
    end: str | None,
    end_name: str | None,
    br: bool,
) -> str | None:
    """The final HTML of one regular chunk (see ``regular_paragraphs``), or None."""
    html: str | None
    if start_name in _PLAIN_NAMES and end_name in _PLAIN_NAMES:  # (most chunks)
        html = _unwrapped(start, inner, end)
    elif (html := _unwrapped_named(start, start_name, inner, end, end_name)) is None:
        return None
    if br and "\n" in html:  # (without a newline there is no break to add or drop)
        html = _keep_group(_BR_BEFORE_TAG, _keep_group(_BR_AFTER_BLOCK, line_breaks(html)))
    return html


def _unwrapped_named(
    start: str | None,
    start_name: str | None,
    inner: str,
    end: str | None,
    end_name: str | None,
) -> str | None:
    """``_unwrapped`` of a chunk with a ``p`` or ``blockquote`` tag (in any spelling
    ``re`` takes for one), or None for the shapes it does not cover: ``p`` tags around
    nothing (taken as empty paragraphs), blockquotes around nothing or in a ``<li>``."""
    names = {fold_case(name) for name in (start_name, end_name) if name}
    blank = not inner or inner.isspace()
    if "p" in names and blank:
        return None
    if "blockquote" in names and not (blank and (start is None or end is None)):
        return _unwrapped_quote(start, start_name, inner, end, blank)
    return _unwrapped(start, inner, end)


def _unwrapped(start: str | None, inner: str, end: str | None) -> str:
    """``_unwrap_blocks`` of ``<p>START INNER END</p>`` for a regular chunk (see
    ``_REGULAR_CHUNK``) whose tags are neither ``p`` tags around nothing nor
    blockquotes: a single tag loses the paragraph, ``_P_BEFORE_CLOSE`` ends it before
    ``</div>`` and the like, a start tag takes its start, an end tag its end (or
    ``_P_AROUND_LI`` both, from a one-line ``<li>`` with no end tag)."""
    if start is None:  # (the chunk is not blank: end alone, or some inner text)
        if not inner:
            return end or ""
        if end in _CLOSES_AFTER_TEXT and "<" not in inner:  # _P_BEFORE_CLOSE
            return f"<p>{inner}</p>{end}"
        return f"<p>{inner}{end or '</p>'}"
    if end is not None:
        if start == "<p>" and end in _CLOSES_AFTER_TEXT and "<" not in inner:
            return f"<p>{inner}</p>{end}"
        return f"{start}{inner}{end}"
    if not inner:
        return start
    if start.startswith("<li") and "\n" not in inner:  # _P_AROUND_LI
        return f"{start}{inner}"
    return f"{start}{inner}</p>"


def _unwrapped_quote(
    start: str | None, start_name: str | None, inner: str, end: str | None, blank: bool
) -> str | None:
    """``_unwrapped`` of a chunk with a blockquote tag and some inside: after a
    blockquote start tag the paragraph starts (``_P_BLOCKQUOTE``, which spells the
    name in lower case), and ``</blockquote></p>`` becomes ``</p></blockquote>``."""
    if blank or (start is not None and start.startswith("<li")):
        return None
    if start is None:
        head = "<p>"
    elif fold_case(start_name or "") == "blockquote":
        head = f"<blockquote{start[11:]}<p>"
    else:
        head = start
    if end == "</blockquote>":
        return f"{head}{inner}</p></blockquote>"
    return f"{head}{inner}{end}" if end is not None else f"{head}{inner}</p>"


def _paragraph(part: str) -> str:
    """Wrap one stripped, non-empty chunk in ``<p>`` unless it is only a marker."""
    if _MARKER_PLACEHOLDER.fullmatch(part):
        return part + "\n"
    return f"<p>{part}</p>\n"


def _unwrap_blocks(html: str) -> str:
    """Remove the ``<p>`` WordPress would not leave around block tags."""
    html = _EMPTY_P.sub("", html)
    if "</div>" in html or "</address>" in html or "</form>" in html:  # (its literals)
        html = _P_BEFORE_CLOSE.sub(r"<p>\1</p></\2>", html)
    html = _keep_group(_P_AROUND_BLOCK, html)
    if "<p><li" in html:
        html = _keep_group(_P_AROUND_LI, html)
    if "><b" in html or "><B" in html:  # (in every match; a template sub runs Python code)
        html = _P_BLOCKQUOTE.sub(r"<blockquote\1><p>", html)
    html = html.replace("</blockquote></p>", "</p></blockquote>")
    html = _keep_group(_P_BEFORE_BLOCK, html)
    return _keep_group(_P_AFTER_BLOCK, html)


def _add_breaks(html: str) -> str:
    """Turn the remaining single newlines into ``<br />``."""
    html = _BR_SPELLINGS.sub("<br />", html)
    return line_breaks(html)


def line_breaks(html: str) -> str:
    r"""``_LINE_BREAK.sub("<br />\n", html)``: each newline, with the whitespace before
    it, becomes ``<br />\n``; a blank line joins the run of whitespace before it.

    ``re`` tries that pattern at every space of the text; split into lines, the common
    case is a join instead: when no line inside is blank and no line ends with
    ``<br />`` (the look-behind), each newline is alone in its run of whitespace, which
    is the end of its line (``str.rstrip`` strips what ``\s`` matches).
    """
    lines = html.split("\n")
    ends = list(map(str.rstrip, lines[:-1]))
    br_end = "<br />" in html and any(end.endswith("<br />") for end in ends)
    if br_end or not all(ends[1:]):
        return _LINE_BREAK.sub("<br />\n", html)
    ends.append(lines[-1])  # (after the last newline nothing changes)
    return "<br />\n".join(ends)


def _remove_block_breaks(html: str) -> str:
    """Drop ``<br />`` right after a block tag or right before a closing/opening one."""
    html = _keep_group(_BR_AFTER_BLOCK, html)
    html = _keep_group(_BR_BEFORE_TAG, html)
    html = _join_last_line(html)
    if _PH_MARKER not in html:
        return html
    # a marker paragraph ends with "\n" that _add_breaks turned into a break
    return _MARKER_BREAK.sub("\\1\n", html)


def _join_last_line(html: str) -> str:
    r"""``re.sub(r"\n</p>$", "</p>", html)`` without a pass over the text: ``$`` is the
    end of the text or the position before its final newline."""
    if html.endswith("\n</p>\n"):
        return html[:-6] + "</p>\n"
    return html[:-5] + "</p>" if html.endswith("\n</p>") else html


def _restore(html: str, stash: list[str]) -> str:
    """Put the protected text back (placeholders may nest: comments inside pre)."""
    # (each placeholder ends with _PH_CLOSE; ``in`` is O(1) when the text is narrower)
    while _PH_CLOSE in html and _PLACEHOLDER.search(html):
        html = _PLACEHOLDER.sub(lambda m: stash[int(m.group(1))], html)
    return html.replace(_TAG_NEWLINE, "\n")
