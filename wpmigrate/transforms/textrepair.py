"""Repair mojibake (UTF-8 text that was decoded as Latin-1/Windows-1252 somewhere).

WordPress exports often carry sequences like ``â€™`` (for ``’``) or ``Ã³`` (for
``ó``) because a database, a plugin or an old import once mixed up encodings. This
module fixes those sequences with ftfy, and nothing else:

* ftfy is configured to keep the author's typography, line breaks, markup and
  entities (see :data:`FTFY_CONFIG` for each flag and why);
* a cheap regular expression first looks for the character pairs that mojibake is
  made of, so clean text (nearly all text) never pays for a full ftfy pass;
* the fix is applied per line, so one suspicious line never makes ftfy reconsider a
  whole post, and a legitimate ``Ã`` elsewhere ("SÃO PAULO") is left alone;
* the number of repairs is the number of changed spans, i.e. mojibake sequences
  fixed (``Iâ€™ll admit Iâ€™ve`` counts 2).

``repair_html`` applies the same repair to the text runs and quoted attribute values
of an HTML fragment without parsing it, so tags, comments and entities come back
byte for byte.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import ftfy


@cache
def ftfy_config() -> ftfy.TextFixerConfig:
    """ftfy's settings for this module. ftfy is imported only when text looks like
    mojibake (6 MB per process that most runs never need); the NamedTuple is
    immutable, so one instance serves every call."""
    import ftfy

    return ftfy.TextFixerConfig(
        # HTML entities belong to the HTML layer: "&amp;" must stay "&amp;".
        unescape_html=False,
        # ESC sequences are not mojibake; code samples may show them on purpose.
        remove_terminal_escapes=False,
        # The point of this module: undo UTF-8 decoded as Latin-1/cp1252 (and friends).
        fix_encoding=True,
        # "Â " where a no-break space became a plain space is still mojibake.
        restore_byte_a0=True,
        # "â€?" (a lost third byte) becomes one U+FFFD instead of three wrong letters.
        replace_lossy_sequences=True,
        # Fixes mojibake inside otherwise correct text ("São Paulo â€“ test").
        decode_inconsistent_utf8=True,
        # C1 controls (U+0080-U+009F) are never meant in HTML text: they are cp1252 bytes.
        fix_c1_controls=True,
        # Author's typography: "ﬁ" ligatures, full-width CJK punctuation, curly quotes stay.
        fix_latin_ligatures=False,
        fix_character_width=False,
        uncurl_quotes=False,
        # Line breaks matter in code samples and in wpautop: never change them.
        fix_line_breaks=False,
        # Lone surrogates cannot be correct text; pairing them is a pure repair.
        fix_surrogates=True,
        # Control characters are the reader's business (and U+FEFF may be deliberate).
        remove_control_chars=False,
        # No normalization: NFC would rewrite decomposed accents, Hebrew/Arabic marks
        # order and CJK compatibility ideographs that the author typed.
        normalization=None,
        explain=False,
    )


def __getattr__(name: str) -> object:
    """``FTFY_CONFIG``, made on first use (see ``ftfy_config``)."""
    if name == "FTFY_CONFIG":
        return ftfy_config()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

#: Characters that Windows-1252 (or Latin-1) shows for UTF-8 continuation bytes 80-BF.
CONTINUATION_CHARS = (
    "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a"
    "\u20ac\u2122"
)

#: UTF-8 lead bytes shown as Latin-1 (Â … ô), and those of them ftfy restores when the
#: byte A0 after them became a space.
_LEADS = "\u00c2-\u00f4"
_A0_LEADS = "\u00c2\u00c3\u00c5\u00ce\u00d0\u00d9\u00e2\u00e3"
#: The pattern of the suspect pairs, as the definition reads (kept for the tests).
SUSPECT_PLAIN = f"[{_LEADS}][{CONTINUATION_CHARS}]|[{_A0_LEADS}] |[\u0080-\u009f]"
#: A lead followed by a continuation byte, an A0 lead followed by a space, or a C1
#: control (a cp1252 byte read as Latin-1). Clean text rarely matches; a match only
#: means "ask ftfy". Same matches as ``SUSPECT_PLAIN``, but spelled to start with one
#: character class (then telling the cases apart by look-behind): ``re`` can then skip
#: ahead to the next candidate character instead of trying three branches at every
#: position, which makes the usual no-match search about 5x faster.
_SUSPECT = re.compile(
    f"[\u0080-\u009f{_LEADS}](?:(?<=[\u0080-\u009f])|(?<=[{_LEADS}])[{CONTINUATION_CHARS}]"
    f"|(?<=[{_A0_LEADS}]) )"
)

#: Markup that repair_html never touches: comments, CDATA, declarations, tags.
_MARKUP = re.compile(r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<![^>]*>|<\?.*?\?>|</?[A-Za-z][^>]*>", re.S)

#: A quoted attribute value inside a tag.
_ATTR_VALUE = re.compile(r"""(=\s*)("[^"]*"|'[^']*')""")


def might_be_mojibake(text: str) -> bool:
    """True when ``text`` contains a character pair that mojibake is made of.

    A fast filter (a regex search), not a verdict: ftfy decides afterwards. Every
    suspect character is non-ASCII, and ``isascii`` is O(1). The first character of a
    pair is in U+0080-U+00F4, whose UTF-8 lead byte is C2 or C3: when the encoded text
    holds neither byte (found by ``memchr``), no pair can start anywhere, and the
    encoding costs a few instructions per character where the search costs tens.
    """
    if text.isascii():
        return False
    encoded = text.encode("utf-8", "surrogatepass")
    if b"\xc2" not in encoded and b"\xc3" not in encoded:
        return False
    return _SUSPECT.search(text) is not None


def _count_changes(before: str, after: str) -> int:
    """Number of changed spans between ``before`` and ``after`` (mojibake sequences).

    A span that decodes to several characters (``Ã©Ã©`` → ``éé``) counts each
    non-ASCII character it produced, so adjacent sequences are not merged into one.
    """
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    count = 0
    for tag, _i1, _i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        produced = sum(1 for char in after[j1:j2] if ord(char) > 0x7F)
        count += max(1, produced)
    return count


def repair_text(text: str) -> tuple[str, int]:
    """Fix mojibake in plain text; return the text and the number of repairs made.

    Clean text comes back as the very same string with 0. Only lines that
    :func:`might_be_mojibake` flags are handed to ftfy, one line at a time.
    """
    if not might_be_mojibake(text):
        return text, 0
    lines = text.splitlines(keepends=True)
    repairs = 0
    for index, line in enumerate(lines):
        if not might_be_mojibake(line):
            continue
        import ftfy

        fixed = ftfy.fix_text(line, config=ftfy_config())
        if fixed != line:
            repairs += _count_changes(line, fixed)
            lines[index] = fixed
    if not repairs:
        return text, 0
    return "".join(lines), repairs


def _repair_tag(tag: str) -> tuple[str, int]:
    """Repair the quoted attribute values of one start tag; names and quotes stay."""
    if not might_be_mojibake(tag):
        return tag, 0
    repairs = 0

    def fix_value(match: re.Match[str]) -> str:
        nonlocal repairs
        quoted = match.group(2)
        fixed, count = repair_text(quoted[1:-1])
        repairs += count
        return f"{match.group(1)}{quoted[0]}{fixed}{quoted[-1]}"

    return _ATTR_VALUE.sub(fix_value, tag), repairs


def repair_html(html: str) -> tuple[str, int]:
    """Fix mojibake in the text and attribute values of an HTML fragment.

    The fragment is split with a regex, not parsed, so markup is returned exactly as
    given: tags, comments (including block comments) and entities are never altered.
    Returns the fragment and the number of repairs made.
    """
    if not might_be_mojibake(html):
        return html, 0
    parts: list[str] = []
    repairs = 0
    position = 0
    for match in _MARKUP.finditer(html):
        text, count = repair_text(html[position : match.start()])
        markup = match.group(0)
        tag_count = 0
        if markup[1].isalpha():
            markup, tag_count = _repair_tag(markup)
        parts.extend((text, markup))
        repairs += count + tag_count
        position = match.end()
    text, count = repair_text(html[position:])
    parts.append(text)
    repairs += count
    if not repairs:
        return html, 0
    return "".join(parts), repairs
