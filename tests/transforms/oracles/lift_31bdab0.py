# lift_blocks of wpmigrate/transforms/markup.py as of commit 31bdab0, verbatim below
# (with the patterns it uses): the oracle that the marker-to-marker lift_blocks is
# checked against (tests/transforms/test_prepare_lift.py). Do not edit.

from __future__ import annotations

import re

from wpmigrate.transforms.shortcode_handlers import BLOCK_END, BLOCK_START

#: A paragraph: ``<p(\s[^>]*)?>((?:(?!<p[\s>]).)*?)</p>`` (DOTALL), i.e. up to the first
#: ``</p>``, failing at a ``<p`` opener on the way; spelled as runs without ``<`` and
#: single ``<`` that start neither, so that only a ``<`` costs a look-ahead (3x faster).
#: The loop is possessive: it stops exactly where the lazy form would try ``</p>``. It is
#: unrolled, ``[^<]*+(?:<(?!…)[^<]*+)*+`` rather than ``(?:[^<]+|<(?!…))*+``: the same
#: run, with no alternation tried per piece (15% faster).
_INSIDE_PARAGRAPH = r"[^<]*+(?:<(?!p[\s>]|/p>)[^<]*+)*+"
_PARAGRAPH = re.compile(f"<p(\\s[^>]*)?>({_INSIDE_PARAGRAPH})</p>", re.IGNORECASE)
#: A block start and the rest of a paragraph's inside after it, up to its ``</p>``: found
#: only if some paragraph holds a block start (block bodies mostly hold them between
#: paragraphs), so that the paragraphs need not go through ``_split_paragraph`` one by one.
_START_IN_PARAGRAPH = re.compile(f"{BLOCK_START}{_INSIDE_PARAGRAPH}</p>", re.IGNORECASE)
_EDGE_BREAKS = re.compile(r"^(?:\s|<br\s*/?>)+|(?:\s|<br\s*/?>)+$", re.IGNORECASE)


def lift_blocks(text: str) -> str:
    """Move block-level output out of the paragraphs wpautop put it in.

    ``<p>[gallery]</p>`` becomes the bare gallery (WordPress's ``shortcode_unautop``);
    ``<p>text [youtube …] more</p>`` becomes ``<p>text</p>`` embed ``<p>more</p>``.
    Most bodies hold no block marker at all: then only the clean-up steps run.
    """
    if BLOCK_START in text:
        text = _BR_BEFORE_BLOCK.sub("", text)
    if BLOCK_END in text:
        text = _BR_AFTER_BLOCK.sub(BLOCK_END, text)
    if BLOCK_START in text:
        if _START_IN_PARAGRAPH.search(text):
            text = _PARAGRAPH.sub(_split_paragraph, text)
        # = _MARKED_BLOCK.sub(r"\n\1\n", text): split puts each block's inside between
        # the pieces, and no Python code runs per match as it does for a template
        text = "\n".join(_MARKED_BLOCK.split(text))
        text = text.replace(BLOCK_START, "")
    text = text.replace(BLOCK_END, "")
    if "<" in text:
        text = _BREAKS_BEFORE_P_END.sub("</p>", text)
        text = _EMPTY_PARAGRAPH.sub("", text)
    return _BLANK_LINES.sub("\n\n", text) if "\n\n\n" in text else text


def _split_paragraph(match: re.Match[str]) -> str:
    """One paragraph: split around the block-level output it holds, if any."""
    inner = match.group(2)
    if BLOCK_START not in inner:  # (most: nothing else to look up)
        return match.group(0)
    attrs = match.group(1) or ""
    out = []
    for piece in _MARKED_SPLIT.split(inner):
        if piece.startswith(BLOCK_START):
            out.append(piece)
        elif stripped := _EDGE_BREAKS.sub("", piece):
            out.append(f"<p{attrs}>{stripped}</p>")
    return "\n".join(out)


_BR_BEFORE_BLOCK = re.compile(f"<br\\s*/?>\\s*(?={BLOCK_START})", re.IGNORECASE)
#: The block end and breaks after it (``(?<=END)\s*<br\s*/?>`` with the end kept by
#: the replacement: a literal first character lets ``re`` skip ahead).
_BR_AFTER_BLOCK = re.compile(f"{BLOCK_END}\\s*<br\\s*/?>", re.IGNORECASE)
#: A marked block: ``START(.*?)END`` (DOTALL), as a run up to the first end marker.
_MARKED_BLOCK = re.compile(f"{BLOCK_START}([^{BLOCK_END}]*){BLOCK_END}")
_MARKED_SPLIT = re.compile(f"({BLOCK_START}[^{BLOCK_END}]*{BLOCK_END})")
#: ``(?:<br\s*/?>\s*)+</p>`` case-insensitively, spelled to start with a literal ``<``
#: so that ``re`` jumps from ``<`` to ``<`` instead of trying every position.
_BREAKS_BEFORE_P_END = re.compile(r"<[bB][rR]\s*/?>(?:\s*<[bB][rR]\s*/?>)*\s*</[pP]>")
_EMPTY_PARAGRAPH = re.compile(r"<p(?:\s[^>]*)?>\s*</p>")
_BLANK_LINES = re.compile(r"\n\n\n+")  # = \n{3,}, with a literal prefix re can skip to
