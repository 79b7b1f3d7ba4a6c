"""WordPress markup → normalized HTML: the first half of body conversion.

``prepare_html`` does what WordPress's ``the_content`` filters do (``do_blocks`` →
``wpautop`` when there are no blocks → ``do_shortcode`` → oEmbed), but instead of
WordPress's front-end markup it emits the small set of *normalized* constructs below,
which the Markdown converter (``markdown.py``) relies on exactly.

Normalized HTML conventions
---------------------------
* Paragraphs ``<p>``; line breaks ``<br />`` (wpautop's spelling) or ``<br>``.
* ``<!--more-->`` and ``<!--nextpage-->``: exactly that comment, on its own line,
  never inside a ``<p>`` (``<!--more Custom text-->`` is reduced to ``<!--more-->``).
  Block comments ``<!-- wp:… -->`` never remain.
* Code: ``<pre><code class="language-LANG">TEXT</code></pre>``; TEXT is escaped so the
  DOM text is the code byte for byte; no class when the language is unknown/plain.
  Sources: ``[code]``, ``[sourcecode]``, ``[source]``, ``[python]``… (entity-encoded
  bodies are decoded once, as SyntaxHighlighter does on display), ``<pre>`` (language
  from ``lang=``, ``class="brush: x"``, ``lang:x``, ``language-x``), code and
  preformatted blocks.
* Embeds: ``<div data-wpm-embed="URL"></div>``, URL canonical (YouTube →
  ``https://www.youtube.com/watch?v=ID[&t=T]``, player.vimeo.com → vimeo.com/ID).
  From: an oEmbed-provider URL alone on a line / alone in a ``<p>``, ``[embed]``,
  ``[youtube]``, ``[vimeo]``, ``[dailymotion]``, embed blocks. A block caption follows
  as ``<p>``. Source ``<iframe>``/``<video>``/``<audio>`` elements are kept as they are.
* Media: ``<video controls src="…"></video>`` / ``<audio controls src="…"></audio>``;
  with several formats ``<video controls><source src="…">…</video>``; ``poster`` kept.
  From ``[video]``, ``[audio]``, ``[dewplayer:URL]``, video/audio blocks.
  ``[playlist]`` → ``<ul><li><a href="FILE">title</a></li>…</ul>``.
* Images with caption: ``<figure><a href?><img …></a?><figcaption>…</figcaption></figure>``
  (no figcaption when there is no caption). From ``[caption]`` and image blocks.
* Galleries: ``<figure class="wpm-gallery">`` holding one ``<figure><a?><img src alt>
  </a?><figcaption?></figure>`` per image (links to the full-size file unless
  ``link="none"``), then an optional ``<figcaption>`` for the gallery caption.
* Math: ``<span class="wpm-math">TeX</span>`` inline, ``<div class="wpm-math">TeX</div>``
  for display (``[latex display=true]`` or a paragraph holding only math). From
  ``[latex]`` and ``$latex …$``; the DOM text is the TeX source.
* Quote and pullquote blocks: ``<blockquote><p>…</p><p>— Citation</p></blockquote>``
  (the citation becomes a final paragraph starting with an em dash and a space).
* Table block: the bare ``<table>``; its caption as a following ``<p>``.
* Custom HTML block: ``<div data-wpm-raw="1">…</div>``: write the inside raw.
* Buttons: ``<p><a href="…">Text</a></p>`` per button. Separator: ``<hr>``.
  Columns/group/cover/media-text: their inner blocks, flattened (a cover or
  media-text image becomes a ``<figure><img></figure>``). Verse: ``<p>`` with ``<br>``.
* Other blocks: their inner HTML. A block that stored nothing (dynamic blocks such as
  core/latest-posts) adds the warning "dynamic block NAME has no stored content".
* Unknown shortcodes stay verbatim as text and are counted; ``[[x]]`` → ``[x]``.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from wpmigrate.transforms.blocks import has_blocks, parse_blocks, render_blocks
from wpmigrate.transforms.context import TransformContext
from wpmigrate.transforms.shortcode_handlers import (
    BLOCK_END,
    BLOCK_START,
    CODE_NAMES,
    ExpandState,
    code_html,
    code_shortcode_text,
    embed_html,
    expand_shortcodes,
    is_video_id_url,
    math_html,
)
from wpmigrate.transforms.shortcodes import Shortcode, tokenize
from wpmigrate.transforms.wpautop import wpautop


@dataclass(frozen=True, slots=True)
class PreparedHtml:
    """The normalized HTML of one body and what could not be carried over."""

    html: str  # normalized HTML (conventions above)
    unknown_shortcodes: dict[str, int]  # name -> count, kept verbatim in the text
    warnings: tuple[str, ...]  # constructs that could not be carried over


_STASH_OPEN, _STASH_CLOSE = "\ufdd6", "\ufdd7"
#: Unicode noncharacters U+FDD0–U+FDEF never occur in real text; the transforms use
#: them as placeholders and sentinels, so any in the input are dropped first.
_SENTINEL_CHARS = tuple(map(chr, range(0xFDD0, 0xFDF0)))
_SENTINELS = re.compile("[\ufdd0-\ufdef]")
_STASHED = re.compile(f"{_STASH_OPEN}(\\d+){_STASH_CLOSE}")
_PRE = re.compile(r"<pre\b([^>]*)>(.*?)</pre\s*>", re.IGNORECASE | re.DOTALL)
_ONLY_CODE = re.compile(r"\s*<code\b([^>]*)>(.*)</code>\s*", re.IGNORECASE | re.DOTALL)
_TAGS = re.compile(r"<[^>]+>")
_LANG_HINT = re.compile(
    r"""\blang\s*=\s*["']?([\w+#-]+)|brush:\s*([\w+#-]+)|\blang(?:uage)?[:-]([\w+#-]+)""",
    re.IGNORECASE,
)
#: A URL alone on a line, ``^([ \t]*)(https?://[^\s<>"]+)([ \t]*)$`` (MULTILINE), with
#: the newline before the line: a literal first character lets ``re`` skip from newline
#: to newline instead of trying ``^`` everywhere (the body gets a newline in front).
_LINE_URL = re.compile(r"\n([ \t]*)(https?://[^\s<>\"]+)([ \t]*)(?=\n|\Z)")
_P_URL = re.compile(r"<p(?:\s[^>]*)?>\s*(https?://[^\s<>\"]+)\s*</p>", re.IGNORECASE)
_INLINE_LATEX = re.compile(r"\$latex[ \xa0]+(.+?)\$", re.DOTALL)
_LATEX_PARAMS = re.compile(r"(?:&(?:amp;)?(?:s|bg|fg)=[^&$]*)+\s*$")
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
_MATH_ONLY = re.compile(r"<p>\s*<span class=\"wpm-math\">([^<]*)</span>\s*</p>")
_MORE = re.compile(r"<!--(more|nextpage)\b(.*?)-->", re.DOTALL)
#: Hosts WordPress (core and WordPress.com) turns into embeds when a URL stands alone.
OEMBED_HOSTS = frozenset(
    {
        "youtube.com", "youtu.be", "vimeo.com", "dailymotion.com", "dai.ly",
        "flickr.com", "flic.kr", "twitter.com", "x.com", "soundcloud.com",
        "open.spotify.com", "spotify.com", "slideshare.net", "instagram.com",
        "ted.com", "wordpress.tv", "videopress.com", "speakerdeck.com", "mixcloud.com",
        "reddit.com", "tumblr.com", "imgur.com", "kickstarter.com", "issuu.com",
        "tiktok.com", "cloudup.com", "animoto.com", "scribd.com", "smugmug.com",
        "facebook.com", "vine.co", "screencast.com", "amazon.com", "pinterest.com",
    }
)  # fmt: skip


def prepare_html(content: str, ctx: TransformContext) -> PreparedHtml:
    """Turn a stored WordPress body into normalized HTML (see the module docstring)."""
    state = ExpandState(ctx)
    text = content.replace("\r\n", "\n").replace("\r", "\n") if "\r" in content else content
    if has_sentinels(text):
        text = _SENTINELS.sub("", text)
    stash: list[str] = []
    if ctx.rendered:
        text = _stash_pre(text, stash)
    else:
        if has_blocks(text):
            text = render_blocks(parse_blocks(text, state.warnings), state)
            text = _stash_code(_stash_pre(text, stash), stash)
        else:
            text = _stash_code(_stash_pre(text, stash), stash)
            text = embed_lines(text, stash)
            text = wpautop(text)
        if "$latex" in text:  # (these passes scan the whole body: skip those that cannot match)
            text = _INLINE_LATEX.sub(_inline_latex, text)
        text = expand_shortcodes(text, state)
        text = _P_URL.sub(_embed_paragraph, text)
    text = _restore(text, stash)
    text = lift_blocks(_mark_markers(text, state))
    if "wpm-math" in text:
        text = _MATH_ONLY.sub(r'<div class="wpm-math">\1</div>', text)
    return PreparedHtml(text.strip() + "\n", dict(state.unknown), tuple(state.warnings))


def prepare_comment_html(content: str) -> str:
    """A stored comment → normalized HTML, as WordPress displays comment text:
    ``make_clickable`` then ``wpautop`` (the ``comment_text`` filters), and never
    blocks, shortcodes or embeds, which WordPress does not run on comments."""
    text = content.replace("\r\n", "\n").replace("\r", "\n") if "\r" in content else content
    if has_sentinels(text):
        text = _SENTINELS.sub("", text)
    if "://" in text or "www." in text:
        text = make_clickable(text)
    return wpautop(text).strip() + "\n" if text.strip() else ""


#: A bare URL in text, as ``make_clickable`` finds one: after the start, a space, ``>`` or ``(``.
_BARE_URL = re.compile(r"(?<![^\s>(])((?:https?://|www\.)[^\s<>\"']+)", re.IGNORECASE)
_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
_NO_LINKS_IN = frozenset({"a", "pre", "code", "script", "style"})
_TAG_NAME = re.compile(r"<(/?)([a-zA-Z][\w-]*)")


def make_clickable(text: str) -> str:
    """Bare ``http(s)://`` and ``www.`` URLs in text → links, like WordPress's
    ``make_clickable`` (not inside links, code or scripts; trailing punctuation and an
    unbalanced closing parenthesis stay text). E-mail addresses are left as text."""
    out: list[str] = []
    inside = 0  # depth of elements whose text must not be linked
    for piece in _TAG_OR_TEXT.split(text):
        tag = _TAG_NAME.match(piece) if piece.startswith("<") else None
        if tag is not None:
            if tag.group(2).lower() in _NO_LINKS_IN:
                inside = max(0, inside + (-1 if tag.group(1) else 1))
            out.append(piece)
        elif inside or not piece:
            out.append(piece)
        else:
            out.append(_BARE_URL.sub(_link, piece))
    return "".join(out)


def _link(match: re.Match[str]) -> str:
    url = match.group(1)
    kept = url.rstrip(".,;:!?")
    if kept.endswith(")") and kept.count("(") < kept.count(")"):
        kept = kept[:-1]
    href = kept if "://" in kept else "http://" + kept
    return f'<a href="{href}">{kept}</a>{url[len(kept):]}'


def has_sentinels(text: str) -> bool:
    """True when ``text`` holds a character of ``_SENTINELS``.

    A substring test per character instead of the regex scan: ``re`` looks every
    character up in the class (several ns each), while ``in`` runs a C search and is
    O(1) when ``text`` is ASCII or Latin-1 (its characters are too narrow to match).
    """
    return not text.isascii() and any(char in text for char in _SENTINEL_CHARS)


def is_oembed_url(url: str) -> bool:
    """True when ``url``'s host is a known oEmbed provider."""
    if not url.isascii():  # provider URLs are ASCII; anything else is prose stuck to one
        return False
    host = urlsplit(url).netloc.lower().split(":")[0]
    known = any(host == h or host.endswith("." + h) for h in OEMBED_HOSTS)
    return known and is_video_id_url(url)


def embed_lines(text: str, stash: list[str]) -> str:
    """Each provider URL alone on a line → a stashed embed in a paragraph of its own."""
    if "://" not in text:  # (every match holds it)
        return text

    def embed(match: re.Match[str]) -> str:
        url = match.group(2)
        if not is_oembed_url(url):
            return match.group(0)
        return f"\n\n\n{_keep(stash, embed_html(url))}\n\n"  # (the line's own newline first)

    return _LINE_URL.sub(embed, "\n" + text)[1:]


def _embed_paragraph(match: re.Match[str]) -> str:
    url = html.unescape(match.group(1))
    return embed_html(url) if is_oembed_url(url) else match.group(0)


def _inline_latex(match: re.Match[str]) -> str:
    return math_html(_LATEX_PARAMS.sub("", match.group(1)), display=False)


def _keep(stash: list[str], value: str) -> str:
    stash.append(value)
    return f"{_STASH_OPEN}{len(stash) - 1}{_STASH_CLOSE}"


def _restore(text: str, stash: list[str]) -> str:
    """Put stashed code back (stashed text may itself contain placeholders)."""
    while _STASH_CLOSE in text and _STASHED.search(text):  # (``in``: see wpautop._restore)
        text = _STASHED.sub(lambda m: stash[int(m.group(1))], text)
    return text


def _stash_pre(text: str, stash: list[str]) -> str:
    """Replace each ``<pre>`` by a placeholder for its normalized code HTML.

    Nothing may touch code: neither wpautop nor shortcode expansion nor oEmbed.
    """

    def convert(match: re.Match[str]) -> str:
        shortcode = _single_code_shortcode(match.group(2))
        if shortcode is not None:
            return _keep(stash, _code_shortcode_html(shortcode, stash))
        return _keep(stash, pre_to_code(match.group(1), match.group(2)))

    return _PRE.sub(convert, text)


def pre_to_code(pre_attrs: str, inner: str) -> str:
    """A source ``<pre>`` → the code convention, keeping its DOM text exactly."""
    code = _ONLY_CODE.fullmatch(inner)
    hints = pre_attrs + (code.group(1) if code else "")
    body = code.group(2) if code else inner
    if body.startswith("\n"):  # HTML drops one newline right after <pre>
        body = body[1:]
    body = re.sub(r"<br\s*/?>", "\n", body, flags=re.IGNORECASE)
    text = html.unescape(_TAGS.sub("", body))
    hint = _LANG_HINT.search(hints)
    language = next((g for g in hint.groups() if g), "") if hint else ""
    return code_html(text, language)


def _stash_code(text: str, stash: list[str]) -> str:
    """Render code shortcodes now, before wpautop can put ``<p>``/``<br>`` in them."""
    if "[" not in text:  # (no token but the text itself)
        return text
    out: list[str] = []
    for token in tokenize(text, CODE_NAMES, find_unknown=False):
        if isinstance(token, Shortcode) and token.content is not None and not token.escaped:
            out.append(_keep(stash, _code_shortcode_html(token, stash)))
        else:
            out.append(token if isinstance(token, str) else token.source)
    return "".join(out)


def _code_shortcode_html(token: Shortcode, stash: list[str]) -> str:
    """The code convention for one enclosing code shortcode."""
    name = token.name.lower()
    language = token.get("language", "lang") or (name if name not in _GENERIC else "")
    return code_html(code_shortcode_text(_restore(token.content or "", stash)), language)


def _single_code_shortcode(inner: str) -> Shortcode | None:
    """The code shortcode filling a whole ``<pre>`` (``<pre>[sourcecode]…[/sourcecode]</pre>``)."""
    tokens = tokenize(inner.strip(), CODE_NAMES, find_unknown=False)
    if len(tokens) == 1 and isinstance(tokens[0], Shortcode) and tokens[0].content is not None:
        return tokens[0]
    return None


_GENERIC = frozenset({"code", "sourcecode", "source"})


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
        # (``in`` first: a ``replace`` counts its matches character by character, while
        # ``in`` skips through the text with ``memchr``; few markers are left by now)
        if BLOCK_START in text:
            text = text.replace(BLOCK_START, "")
    if BLOCK_END in text:
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


def _mark_markers(text: str, state: ExpandState) -> str:
    """``<!--more custom-->`` → ``<!--more-->``, marked block-level so that
    ``lift_blocks`` takes it out of any paragraph."""

    def plain(match: re.Match[str]) -> str:
        if match.group(2).strip():
            state.warnings.append(f"custom text of <!--{match.group(1)}--> dropped")
        return f"{BLOCK_START}<!--{match.group(1)}-->{BLOCK_END}"

    return _MORE.sub(plain, text) if "<!--" in text else text
