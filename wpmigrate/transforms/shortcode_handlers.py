"""Normalized-HTML emitters and the handlers of the shortcodes wpmigrate understands.

The emitters (``code_html``, ``embed_html``, ``media_html``, ``figure_html``,
``gallery_html``, ``math_html``) are shared with the block renderer so that a
``[caption]`` and an image block, or a ``[youtube]`` and an embed block, produce
exactly the same HTML. The conventions are listed in ``markup.py``.

Block-level output is wrapped in ``BLOCK_START``/``BLOCK_END`` sentinels: a shortcode
sitting inside a ``<p>`` made by wpautop is lifted out of it afterwards
(``markup.lift_blocks``), the job WordPress's ``shortcode_unautop`` does.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from urllib.parse import SplitResult, parse_qs, urlsplit

from wpmigrate.model import Media
from wpmigrate.transforms.context import TransformContext
from wpmigrate.transforms.shortcodes import Shortcode, Token, tokenize

BLOCK_START, BLOCK_END = "\ufdd4", "\ufdd5"

# fmt: off
#: Shortcode names whose content is source code (SyntaxHighlighter / WordPress.com).
CODE_LANGUAGES: Mapping[str, str] = MappingProxyType(
    {
        "as3": "actionscript", "actionscript3": "actionscript", "bash": "bash",
        "shell": "bash", "sh": "bash", "cf": "coldfusion", "coldfusion": "coldfusion",
        "clojure": "clojure", "clj": "clojure", "cpp": "cpp", "c++": "cpp", "c": "c",
        "c-sharp": "csharp", "csharp": "csharp", "css": "css", "delphi": "pascal",
        "pascal": "pascal", "pas": "pascal", "diff": "diff", "patch": "diff",
        "erl": "erlang", "erlang": "erlang", "fsharp": "fsharp", "go": "go",
        "groovy": "groovy", "haskell": "haskell", "java": "java", "javafx": "javafx",
        "jfx": "javafx", "js": "javascript", "jscript": "javascript",
        "javascript": "javascript", "json": "json", "matlab": "matlab", "objc": "objc",
        "obj-c": "objc", "perl": "perl", "pl": "perl", "php": "php", "powershell": "powershell",
        "ps": "powershell", "py": "python", "python": "python", "r": "r", "ruby": "ruby",
        "rb": "ruby", "rails": "ruby", "ror": "ruby", "scala": "scala", "sql": "sql",
        "swift": "swift", "typescript": "typescript", "ts": "typescript", "vb": "vbnet",
        "vbnet": "vbnet", "xml": "xml", "xhtml": "xml", "xslt": "xslt", "html": "html",
        "yaml": "yaml", "text": "", "plain": "", "plaintext": "", "txt": "",
    }
)
# fmt: on
CODE_NAMES = frozenset({"code", "sourcecode", "source", *CODE_LANGUAGES})
_NO_LANGUAGE = frozenset({"undefined", "none", "null", "nohighlight", "no-highlight", "auto"})
_STRICT_ENTITY = re.compile(r"&(#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_URL = re.compile(r"https?://[^\s\"'<>\]\[]+")
_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{6,20}")


@dataclass(slots=True)
class ExpandState:
    """What expansion collects for one body: the context, warnings, unknown names."""

    ctx: TransformContext
    warnings: list[str] = field(default_factory=list)
    unknown: Counter[str] = field(default_factory=Counter)


def block(html_text: str) -> str:
    """Mark ``html_text`` as block-level output (see module docstring)."""
    inner = html_text.replace(BLOCK_START, "").replace(BLOCK_END, "")
    return f"{BLOCK_START}{inner}{BLOCK_END}"


def attr(value: str) -> str:
    """Escape an attribute value for a double-quoted attribute."""
    return html.escape(value, quote=True)


def strict_unescape(text: str) -> str:
    """Decode only well-formed character references (``&lt;``, ``&#39;``, ``&#x27;``).

    Unlike ``html.unescape`` this leaves ``&copy_b`` or ``a && b`` alone, which
    matters for source code.
    """

    def decode(match: re.Match[str]) -> str:
        decoded = html.unescape(match.group(0))
        return match.group(0) if decoded == match.group(0) else decoded

    return _STRICT_ENTITY.sub(decode, text)


def language_of(name: str) -> str:
    """Normalize a SyntaxHighlighter/brush/lang name to a code-fence language ("" if none)."""
    key = name.strip().lower()
    if key in _NO_LANGUAGE:
        return ""
    return CODE_LANGUAGES.get(key, re.sub(r"[^a-z0-9_+-]", "", key))


def code_html(text: str, language: str = "") -> str:
    """``<pre><code class="language-X">`` with ``text`` escaped (DOM text == text)."""
    lang = language_of(language) if language else ""
    cls = f' class="language-{attr(lang)}"' if lang else ""
    return block(f"<pre><code{cls}>{html.escape(text, quote=False)}</code></pre>")


def code_shortcode_text(content: str) -> str:
    """The displayed code of a ``[sourcecode]`` body.

    SyntaxHighlighter (and WordPress.com) store the code entity-encoded and decode it
    once on display; a body with a raw ``<`` or ``>`` was stored raw. One newline right
    after the opening and before the closing tag is layout, not code.
    """
    if content.startswith("\r\n"):
        content = content[2:]
    elif content.startswith("\n"):
        content = content[1:]
    content = re.sub(r"\r?\n\Z", "", content)
    if "<" in content or ">" in content:
        return content
    return strict_unescape(content)


_VIDEO_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _youtube_id(host: str, parts: SplitResult) -> str:
    """The video id of a youtu.be or youtube.com URL, as written (may be junk)."""
    if host == "youtu.be":
        return parts.path.strip("/").split("/")[0]
    query = parse_qs(parts.query)
    if "v" in query:
        return query["v"][0]
    match = re.match(r"/(?:embed|v|shorts|live)/([^/?#&]+)", parts.path)
    return match.group(1) if match else ""


def is_video_id_url(url: str) -> bool:
    """False for a YouTube URL whose video id is not an id (``youtu.be/x-https:``):
    WordPress's oEmbed would fail there and show the text, so it is not an embed."""
    parts = urlsplit(html.unescape(url.strip()))
    host = parts.netloc.lower().removeprefix("www.").removeprefix("m.")
    if host != "youtu.be" and not host.endswith(("youtube.com", "youtube-nocookie.com")):
        return True
    return bool(_VIDEO_ID.fullmatch(_youtube_id(host, parts)))


def canonical_embed_url(url: str) -> str:
    """Canonical form of an embed URL (YouTube ids → ``watch?v=ID``, keeps ``t``)."""
    url = html.unescape(url.strip())
    parts = urlsplit(url)
    host = parts.netloc.lower().removeprefix("www.").removeprefix("m.")
    query = parse_qs(parts.query)
    video_id = ""
    if host == "youtu.be" or host.endswith(("youtube.com", "youtube-nocookie.com")):
        video_id = _youtube_id(host, parts)
    elif host == "player.vimeo.com":
        match = re.match(r"/video/(\d+)", parts.path)
        return f"https://vimeo.com/{match.group(1)}" if match else url
    else:
        return url
    if not video_id or not _VIDEO_ID.fullmatch(video_id):
        return url
    start = (query.get("t") or query.get("start") or [""])[0]
    if not start and parts.fragment.startswith("t="):
        start = parts.fragment[2:]
    suffix = f"&t={start}" if start else ""
    return f"https://www.youtube.com/watch?v={video_id}{suffix}"


def embed_html(url: str) -> str:
    """The embed placeholder element for an oEmbed URL."""
    return block(f'<div data-wpm-embed="{attr(canonical_embed_url(url))}"></div>')


def media_html(kind: str, sources: list[str], poster: str = "") -> str:
    """``<video controls src>``/``<audio controls src>``, or with ``<source>`` children."""
    poster_attr = f' poster="{attr(poster)}"' if poster and kind == "video" else ""
    if len(sources) == 1:
        return block(f'<{kind} controls src="{attr(sources[0])}"{poster_attr}></{kind}>')
    children = "".join(f'<source src="{attr(src)}">' for src in sources)
    return block(f"<{kind} controls{poster_attr}>{children}</{kind}>")


def figure_html(image: str, caption: str = "", link: str = "") -> str:
    """``<figure><a?><img></a?><figcaption?></figure>``; ``image`` is an ``<img>`` tag."""
    inner = f'<a href="{attr(link)}">{image}</a>' if link else image
    cap = f"<figcaption>{caption}</figcaption>" if caption.strip() else ""
    return f"<figure>{inner}{cap}</figure>"


def img_tag(media: Media) -> str:
    """An ``<img>`` for an attachment: full-size URL and its alt text."""
    return f'<img src="{attr(media.url)}" alt="{attr(media.alt)}">'


def gallery_html(figures: list[str], caption: str = "") -> str:
    """The gallery wrapper around already-built ``<figure>`` items."""
    cap = f"<figcaption>{caption}</figcaption>" if caption.strip() else ""
    return block('<figure class="wpm-gallery">' + "".join(figures) + cap + "</figure>")


def math_html(tex: str, display: bool) -> str:
    """``<span class="wpm-math">`` (inline) or ``<div class="wpm-math">`` (display)."""
    tex = re.sub(r"</?(?:br|p)\b[^>]*>", "", tex, flags=re.IGNORECASE)
    text = html.escape(strict_unescape(tex).strip(), quote=False)
    if display:
        return block(f'<div class="wpm-math">{text}</div>')
    return f'<span class="wpm-math">{text}</span>'


def attachment_figures(items: list[Media], link: str) -> list[str]:
    """One gallery ``<figure>`` per attachment (link to the file unless link="none")."""
    return [
        figure_html(
            img_tag(m), html.escape(m.caption, quote=False), "" if link == "none" else m.url
        )
        for m in items
    ]


def is_image(media: Media) -> bool:
    """True for an image attachment (by MIME type, else by file extension)."""
    if media.mime_type:
        return media.mime_type.startswith("image/")
    path = urlsplit(media.url).path.lower()
    return path.endswith((".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".svg", ".avif"))


def _ids(value: str) -> list[int]:
    return [int(part) for part in re.findall(r"\d+", value)]


def post_attachments(
    ctx: TransformContext, ids: list[int], state: ExpandState, what: str
) -> list[Media]:
    """Attachments by id (warning for missing ones), or the post's children when no ids."""
    if not ids:
        children_of = getattr(ctx.attachments, "children_of", None)  # the on-disk index
        if children_of is not None:
            found_children: list[Media] = children_of(ctx.post_id)
            return found_children
        children = [m for m in ctx.attachments.values() if m.parent == ctx.post_id]
        return sorted(children, key=lambda m: m.id)
    found = []
    for media_id in ids:
        media = ctx.attachments.get(media_id)
        if media is None:
            state.warnings.append(f"{what}: attachment {media_id} is not in the source")
        else:
            found.append(media)
    return found


def expand_shortcodes(text: str, state: ExpandState) -> str:
    """Replace every known shortcode of ``text`` by normalized HTML (recursively).

    Unknown shortcodes stay verbatim and are counted; escaped ones lose one bracket pair.
    """
    if "[" not in text:  # (no token but the text itself)
        return text
    out: list[str] = []
    for token in tokenize(text, HANDLERS):
        out.append(_expand_token(token, state, HANDLERS))
    return "".join(out)


def _expand_token(
    token: Token,
    state: ExpandState,
    handlers: Mapping[str, Callable[[Shortcode, ExpandState], str]],
) -> str:
    if isinstance(token, str):
        return token
    if token.escaped:
        return token.raw
    handler = handlers.get(token.name.lower())
    if handler is not None:
        return handler(token, state)
    state.unknown[token.name] += 1
    if token.content is None:
        return token.raw
    return token.open_tag + expand_shortcodes(token.content, state) + token.close_tag


# --- handlers -----------------------------------------------------------------------

_CAPTION_BODY = re.compile(
    r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", re.IGNORECASE | re.DOTALL
)
_LINKED_IMG = re.compile(
    r'^<a\b[^>]*\bhref=(["\'])(.*?)\1[^>]*>\s*(<img\b[^>]*>)\s*</a>$', re.IGNORECASE | re.DOTALL
)
_VIDEO_EXT = ("mp4", "m4v", "webm", "ogv", "wmv", "flv", "mov")
_AUDIO_EXT = ("mp3", "ogg", "oga", "m4a", "wav", "flac", "wma")


def _caption(sc: Shortcode, state: ExpandState) -> str:
    """[caption]<a><img></a> text[/caption] → figure with figcaption."""
    content = expand_shortcodes(sc.content or "", state)
    match = _CAPTION_BODY.match(content)
    if match is None:
        state.warnings.append("[caption] without an image kept as its content")
        return content
    image, text = match.group(1).strip(), match.group(2)
    caption = sc.attrs.get("caption") or re.sub(r"^(\s|<br\s*/?>)+|(\s|<br\s*/?>)+$", "", text)
    link = ""
    linked = _LINKED_IMG.match(image)
    if linked:
        link, image = html.unescape(linked.group(2)), linked.group(3)
    return block(figure_html(image, caption, link))


#: An id-less ``[gallery]`` or ``[playlist]`` shows every file attached to its post, as
#: WordPress does, up to this many. Past that the page is of no use to a reader, and its
#: conversion needs memory in proportion: a test export with 31,606 images attached to
#: one post (ten galleries) took 1.5 GB to write a 64 MB page.
MAX_ATTACHED_SHOWN = 1000


def capped_attachments(items: list[Media], what: str, state: ExpandState) -> list[Media]:
    """``items`` up to :data:`MAX_ATTACHED_SHOWN`, with a warning saying what was left out."""
    if len(items) <= MAX_ATTACHED_SHOWN:
        return items
    state.warnings.append(
        f"{what} without ids shows all {len(items):,} files attached to the post: only the "
        f"first {MAX_ATTACHED_SHOWN:,} were written (the files are still brought with the "
        "media); list the ones to show in its ids attribute"
    )
    return items[:MAX_ATTACHED_SHOWN]


def _gallery(sc: Shortcode, state: ExpandState) -> str:
    """[gallery ids=… link=… order=…] → the gallery figure of the attachments."""
    ids = _ids(sc.get("ids", "include"))
    items = post_attachments(state.ctx, ids, state, "[gallery]")
    if not ids:  # the post's children: images only, like WordPress's get_children
        items = [m for m in items if is_image(m)]
    exclude = set(_ids(sc.get("exclude")))
    items = [m for m in items if m.id not in exclude]
    if not ids and sc.get("order").upper() == "DESC":
        items.reverse()
    if not ids:
        items = capped_attachments(items, "[gallery]", state)
    if not items:
        state.warnings.append("[gallery] has no images in the source")
        return ""
    return gallery_html(attachment_figures(items, sc.get("link")))


def _first_url(text: str) -> str:
    match = _URL.search(html.unescape(text))
    return match.group(0) if match else ""


def _embed(sc: Shortcode, state: ExpandState) -> str:
    """[embed]URL[/embed] (or src=) → embed placeholder."""
    url = _first_url(sc.content or "") or sc.get("src", "url")
    if not url:
        state.warnings.append("[embed] without a URL dropped")
        return ""
    return embed_html(url)


def _youtube(sc: Shortcode, state: ExpandState) -> str:
    """[youtube URL], [youtube=URL], [youtube ID], [youtube id=ID] → YouTube embed."""
    url = _first_url(sc.attr_text) or _first_url(sc.content or "")
    if not url:
        candidate = sc.get("id") or (sc.positional[0].lstrip("=") if sc.positional else "")
        if _YOUTUBE_ID.fullmatch(candidate):
            url = f"https://www.youtube.com/watch?v={candidate}"
    if not url:
        state.warnings.append(f"{sc.raw[:60]} has no video id; kept as text")
        return sc.raw
    return embed_html(url)


def _vimeo(sc: Shortcode, state: ExpandState) -> str:
    """[vimeo URL] / [vimeo ID] / [vimeo id=ID] → Vimeo embed."""
    url = _first_url(sc.attr_text) or _first_url(sc.content or "")
    ident = sc.get("id") or (sc.positional[0].lstrip("=") if sc.positional else "")
    if not url and ident.isdigit():
        url = f"https://vimeo.com/{ident}"
    if not url:
        state.warnings.append(f"{sc.raw[:60]} has no video id; kept as text")
        return sc.raw
    return embed_html(url)


def _dailymotion(sc: Shortcode, state: ExpandState) -> str:
    """[dailymotion ID] / [dailymotion id=ID] → Dailymotion embed."""
    url = _first_url(sc.attr_text)
    ident = sc.get("id") or (sc.positional[0].lstrip("=") if sc.positional else "")
    if not url and re.fullmatch(r"[A-Za-z0-9]+", ident or "-"):
        url = f"https://www.dailymotion.com/video/{ident}"
    if not url:
        state.warnings.append(f"{sc.raw[:60]} has no video id; kept as text")
        return sc.raw
    return embed_html(url)


def _media_sources(sc: Shortcode, extensions: tuple[str, ...]) -> list[str]:
    """The source URLs of a [video]/[audio]: src and per-format attributes, else a URL."""
    sources = [sc.attrs[key] for key in ("src", *extensions) if sc.attrs.get(key)]
    if not sources:
        url = _first_url(sc.attr_text) or _first_url(sc.content or "")
        sources = [url] if url else []
    return list(dict.fromkeys(html.unescape(src) for src in sources))


def _video(sc: Shortcode, state: ExpandState) -> str:
    """[video src/mp4/webm/… poster=…] → <video controls>."""
    sources = _media_sources(sc, _VIDEO_EXT)
    if not sources:
        return _no_source(sc, state)
    return media_html("video", sources, html.unescape(sc.get("poster")))


def _audio(sc: Shortcode, state: ExpandState) -> str:
    """[audio src/mp3/ogg/… ] or [audio URL] → <audio controls>."""
    sources = _media_sources(sc, _AUDIO_EXT)
    if not sources:
        return _no_source(sc, state)
    return media_html("audio", sources)


def _no_source(sc: Shortcode, state: ExpandState) -> str:
    """A media shortcode without any source: WordPress renders nothing useful; the
    bracketed text is more often prose ("[video of a talk]"), so keep it."""
    state.warnings.append(f"[{sc.name}] without a source kept as text")
    return sc.raw


def _dewplayer(sc: Shortcode, state: ExpandState) -> str:
    """The Dewplayer plugin's [dewplayer:URL] → <audio controls>."""
    url = _first_url(sc.attr_text)
    return media_html("audio", [url]) if url else _no_source(sc, state)


def _playlist(sc: Shortcode, state: ExpandState) -> str:
    """[playlist ids=… type=audio|video] → a list of links to the files."""
    kind = "video" if sc.get("type") == "video" else "audio"
    items = post_attachments(state.ctx, _ids(sc.get("ids", "include")), state, "[playlist]")
    if not sc.get("ids", "include"):
        items = [m for m in items if m.mime_type.startswith(kind)]
        items = capped_attachments(items, "[playlist]", state)
    if not items:
        state.warnings.append("[playlist] has no files in the source")
        return ""
    links = "".join(
        f'<li><a href="{attr(m.url)}">{html.escape(m.title or m.url, quote=False)}</a></li>'
        for m in items
    )
    return block(f"<ul>{links}</ul>")


def _latex(sc: Shortcode, state: ExpandState) -> str:
    """[latex]…[/latex] → inline math; display="true"/"1"/"yes" → display math."""
    display = sc.get("display").lower() in ("true", "1", "yes", "block")
    if sc.content is None:
        return sc.raw
    return math_html(sc.content, display)


def _code(sc: Shortcode, state: ExpandState) -> str:
    """[code]/[sourcecode]/[source]/[python]… → code block with the displayed code."""
    if sc.content is None:
        return sc.raw
    name = sc.name.lower()
    language = sc.get("language", "lang") or (name if name in CODE_LANGUAGES else "")
    return code_html(code_shortcode_text(sc.content), language)


# fmt: off
HANDLERS: Mapping[str, Callable[[Shortcode, ExpandState], str]] = MappingProxyType(
    {
        "caption": _caption, "wp_caption": _caption, "gallery": _gallery,
        "embed": _embed, "youtube": _youtube, "vimeo": _vimeo,
        "dailymotion": _dailymotion, "video": _video, "audio": _audio,
        "dewplayer": _dewplayer, "playlist": _playlist, "latex": _latex,
        **dict.fromkeys(CODE_NAMES, _code),
    }
)
# fmt: on
