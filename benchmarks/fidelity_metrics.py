"""Scoring functions of the fidelity benchmark (not part of the library).

The benchmark asks one question per post: does a reader of the converted Markdown
see what a reader of the WordPress site saw? Both sides are reduced to the visible
words, independently of the converter's own code:

* the source is the post HTML as WordPress would render it: comments (block
  comments included) dropped, known shortcode tags dropped but their content and
  visible attributes (``caption="…"``) kept, scripts and styles dropped, tags
  stripped, entities decoded, mojibake repaired (the words the author meant);
* the output is the Markdown rendered back to HTML with markdown-it-py (CommonMark
  plus tables and strikethrough), then reduced the same way.

Words are Unicode letter/digit runs, casefolded; Chinese/Japanese ideographs and
kana count one character each, since those scripts have no spaces.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher
from urllib.parse import unquote

from markdown_it import MarkdownIt

from wpmigrate.transforms.textrepair import repair_text

#: Shortcodes the issue names: any of them left in the output is a conversion miss.
MARKUP_SHORTCODES = (
    "caption|gallery|embed|video|audio|playlist|youtube|vimeo|code|sourcecode|source|latex"
)
#: Further shortcodes WordPress(.com) renders, whose tags a reader never saw.
SOURCE_SHORTCODES = MARKUP_SHORTCODES + "|wp_caption|dailymotion|googlemaps|slideshare"
#: Code shortcodes named after a language ([php]…[/php]); only recognized as a pair,
#: since "a[c]" or "x[i]" are common in code.
LANGUAGE_SHORTCODES = (
    "as3|actionscript3|bash|shell|sh|cf|coldfusion|clojure|clj|cpp|c|c-sharp|csharp|css"
    "|delphi|pascal|pas|diff|patch|erl|erlang|fsharp|go|groovy|haskell|html|java|javafx"
    "|js|javascript|jscript|matlab|objc|perl|pl|php|powershell|ps|py|python|r|ruby|rb"
    "|scala|sql|swift|tex|text|plain|vb|vbnet|xml|xhtml|xslt|yaml|yml|json|markdown"
)

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_INVISIBLE = re.compile(r"<(script|style|template|noscript)\b[^>]*>.*?</\1\s*>", re.S | re.I)
_BLOCK_TAG = re.compile(
    r"</?(?:p|div|br|hr|li|ul|ol|dl|dt|dd|h[1-6]|pre|blockquote|table|thead|tbody|tfoot"
    r"|tr|td|th|figure|figcaption|section|article|aside|header|footer|nav|img|iframe"
    r"|video|audio|source|object|embed|address|details|summary|caption)\b[^>]*>",
    re.I,
)
_TAG = re.compile(r"<[^<>]*>")
_SHORTCODE_ATTRS = r"""(?:[^\]"'\[]|"[^"]*"|'[^']*')*"""
_ESCAPED_SHORTCODE = re.compile(rf"\[(\[(?:/?)(?:{SOURCE_SHORTCODES})\b{_SHORTCODE_ATTRS}\])\]")
#: A code shortcode with its content: the content is shown literally.
_CODE_SHORTCODE = re.compile(
    rf"\[(code|sourcecode|source|{LANGUAGE_SHORTCODES})((?:\s{_SHORTCODE_ATTRS})?)\]"
    r"(.*?)\[/\1\]",
    re.S,
)
_SHORTCODE_TAG = re.compile(rf"\[(/?)({SOURCE_SHORTCODES})(?=[\s\]/])({_SHORTCODE_ATTRS})\]")
#: A paragraph holding one shortcode only (self-closing, or enclosing with content):
#: WordPress's shortcode_unautop removes such ``<p>`` and the shortcode renders a block.
_SHORTCODE_PARAGRAPH = re.compile(
    rf"<p>\s*\[({SOURCE_SHORTCODES})(?=[\s\]/]){_SHORTCODE_ATTRS}\]"
    r"(?:(?:(?!</?p[\s>]).)*?\[/\1\])?\s*</p>",
    re.S,
)
_VISIBLE_ATTR = re.compile(r"""\b(?:caption|title)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_URL_ONLY = re.compile(r"\]\s*https?://[^\s\[<>]+\s*\[/")
_ESCAPE_MARK = "\ue000"
#: oEmbed providers WordPress embeds when their URL stands alone on a line or in a
#: paragraph of its own (autoembed): the reader saw a player, not the URL.
OEMBED_HOSTS = (
    r"(?:www\.|m\.)?(?:youtube\.com|youtu\.be|vimeo\.com|dailymotion\.com|dai\.ly"
    r"|soundcloud\.com|twitter\.com|x\.com|flickr\.com|flic\.kr|slideshare\.net"
    r"|instagram\.com|spotify\.com|open\.spotify\.com|ted\.com|wordpress\.tv|vine\.co"
    r"|mixcloud\.com|speakerdeck\.com|scribd\.com|issuu\.com|tiktok\.com|reddit\.com"
    r"|imgur\.com|animoto\.com|cloudup\.com|kickstarter\.com|videopress\.com"
    r"|tumblr\.com|facebook\.com|amazon\.com|pinterest\.com|smugmug\.com)"
)
_AUTOEMBED = re.compile(
    rf"^(\s*(?:<p[^>]*>)?\s*)https?://{OEMBED_HOSTS}/[^\s<>\"]*(\s*(?:</p>)?\s*)$",
    re.M | re.I,
)
#: Player tags of old plugins, ``[dewplayer:URL]``, ``[flv:URL]``: a player, not text.
_PLAYER_TAG = re.compile(r"\[[A-Za-z][\w-]*:\s*https?://[^\]\s]+\s*\]")

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_URL_TEXT = re.compile(r"https?://[^\s<>\"]+")
_WORD = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+")

_BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:")
_MARKUP_LEFT = re.compile(rf"\[(?:{MARKUP_SHORTCODES})(?=[\s\]/])[^\[\]]*\](?![\[(])")
_PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p>", re.S | re.I)


def new_renderer() -> MarkdownIt:
    """The Markdown renderer of the benchmark: CommonMark + tables + strikethrough."""
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def strip_tags(markup: str) -> str:
    """Visible text of an HTML fragment: no comments, scripts or tags; entities decoded.

    Block-level tags become a space so that words of adjacent blocks do not merge;
    inline tags vanish ("wor<em>d</em>" is one word, as a reader sees it).
    """
    text = _COMMENT.sub(" ", markup)
    text = _INVISIBLE.sub(" ", text)
    text = _BLOCK_TAG.sub(" ", text)
    text = _TAG.sub("", text)
    return html.unescape(text)


def _drop_shortcode_tags(content: str) -> str:
    """Replace known shortcode tags by their visible attribute text, keep content."""
    content = _URL_ONLY.sub("][/", content)  # [embed]URL[/embed]: the URL is not shown

    def tag(match: re.Match[str]) -> str:
        visible = [a or b for a, b in _VISIBLE_ATTR.findall(match.group(3))]
        return " " + " ".join(visible) + " "

    return _SHORTCODE_TAG.sub(tag, content)


def wordpress_text(content: str) -> str:
    """The text a reader of the WordPress site saw for a post's stored HTML.

    Escaped shortcodes (``[[gallery]]``) show as ``[gallery]``; code shortcodes
    (``[code]``, ``[sourcecode]``, ``[php]…[/php]``) show their content literally,
    markup included; other known shortcode tags vanish but keep their content and
    caption/title attributes. Mojibake is repaired, since the benchmark measures the
    words the author meant.
    """
    stashed: list[str] = []

    def stash(visible: str) -> str:
        stashed.append(visible)
        return f" {_ESCAPE_MARK}{len(stashed) - 1}{_ESCAPE_MARK} "

    text = _AUTOEMBED.sub(r"\1\2", _PLAYER_TAG.sub(" ", _COMMENT.sub(" ", content)))
    text = _ESCAPED_SHORTCODE.sub(lambda match: stash(match.group(1)), text)
    text = _CODE_SHORTCODE.sub(lambda match: stash(html.unescape(match.group(3))), text)
    text = strip_tags(_drop_shortcode_tags(text))
    text = re.sub(f"{_ESCAPE_MARK}(\\d+){_ESCAPE_MARK}", lambda m: stashed[int(m[1])], text)
    return repair_text(text)[0]


def output_text(rendered_html: str) -> str:
    """The text a reader of the converted page sees (the rendered Markdown)."""
    return strip_tags(rendered_html)


def words(text: str) -> list[str]:
    """Casefolded, NFC-normalized words; CJK ideographs and kana one per character.

    URLs are percent-decoded first: a renderer may show ``H%C3%B6lle`` as ``Hölle``.
    """
    text = _URL_TEXT.sub(lambda match: unquote(match.group(0)), text)
    return _WORD.findall(unicodedata.normalize("NFC", text).casefold())


def word_recall(source: list[str], output: list[str]) -> tuple[float, Counter[str]]:
    """Fraction of source word occurrences found in the output (as multisets).

    Returns the recall (1.0 for an empty source) and the missing words with counts.
    """
    if not source:
        return 1.0, Counter()
    missing = Counter(source) - Counter(output)
    return 1.0 - missing.total() / len(source), missing


def order_similarity(source: list[str], output: list[str], limit: int = 20_000) -> float:
    """difflib ratio of the two word sequences (1.0 = same words in the same order).

    ``autojunk`` is off so frequent words are compared too. Identical sequences
    short-circuit; sequences longer than ``limit`` words are compared in aligned
    chunks of ``limit`` words, which bounds the quadratic worst case.
    """
    if source == output:
        return 1.0
    if not source or not output:
        return 0.0
    if max(len(source), len(output)) <= limit:
        return SequenceMatcher(None, source, output, autojunk=False).ratio()
    matched = 0
    for start in range(0, max(len(source), len(output)), limit):
        part_a, part_b = source[start : start + limit], output[start : start + limit]
        matcher = SequenceMatcher(None, part_a, part_b, autojunk=False)
        matched += sum(block.size for block in matcher.get_matching_blocks())
    return 2.0 * matched / (len(source) + len(output))


def is_classic(content: str) -> bool:
    """True for classic-editor content (no block comments)."""
    return "<!-- wp:" not in content


def count_paragraphs(rendered_html: str) -> int:
    """Text paragraphs: ``<p>`` elements with visible text.

    Empty ones (``<p>&nbsp;</p>``) and media-only ones (a lone image, which WordPress
    galleries and captions render as ``<div>``/``<figure>`` anyway) are not counted,
    so the count measures the prose's structure on both sides alike.
    """
    return sum(
        1
        for match in _PARAGRAPH.finditer(rendered_html)
        if strip_tags(match.group(1)).strip(" \t\r\n\u00a0\u2009\u200b")
    )


def source_paragraphs(content: str, autop: Callable[[str], str]) -> int:
    """Paragraphs WordPress shows for classic content: ``autop`` output, minus the
    paragraphs that hold nothing but a shortcode (WordPress's shortcode_unautop)."""
    protected = _CODE_SHORTCODE.sub("\n\n<pre></pre>\n\n", content)  # kept from autop
    rendered = _SHORTCODE_PARAGRAPH.sub("", autop(protected))
    return count_paragraphs(_drop_shortcode_tags(rendered))


def blank_line_paragraphs(content: str) -> str:
    """A stand-in for wpautop: each blank-line separated block is one paragraph."""
    blocks = re.split(r"\n\s*\n", content.replace("\r\n", "\n"))
    return "".join(f"<p>{block}</p>\n" for block in blocks if block.strip())


def markup_left(rendered_html: str, expected_literal: int = 0) -> int:
    """Block comments plus known shortcodes left in the rendered output.

    Block comments are looked for as real comments of the rendered HTML (one shown
    in a code block is escaped there, and is not a miss). Shortcodes are looked for
    in its visible text, not counting text followed by ``[`` or ``(`` (Markdown link
    syntax a source showed, "[video link][1]"); ``expected_literal`` is how many the
    source itself shows as text (escaped ``[[gallery]]``), which are not misses either.
    """
    comments = len(_BLOCK_COMMENT.findall(rendered_html))
    shortcodes = len(_MARKUP_LEFT.findall(output_text(rendered_html)))
    return comments + max(0, shortcodes - expected_literal)


def literal_shortcodes(source_text: str) -> int:
    """Known shortcodes that WordPress itself displays as text (escaped ones)."""
    return len(_MARKUP_LEFT.findall(source_text))


@dataclass(frozen=True, slots=True)
class PostScore:
    """Every metric of one post."""

    post_id: int | str
    title: str
    recall: float
    order: float
    source_words: int
    missing: tuple[tuple[str, int], ...]  # the most frequent missing words
    classic: bool
    source_paragraphs: int
    output_paragraphs: int
    markup_left: int
    mojibake_left: int


def score_post(
    post_id: int | str,
    title: str,
    content: str,
    markdown: str,
    renderer: MarkdownIt,
    autop: Callable[[str], str] = blank_line_paragraphs,
) -> PostScore:
    """Score one post: ``content`` as stored in WordPress, ``markdown`` as converted."""
    rendered = renderer.render(markdown)
    source_text = wordpress_text(content)
    out_text = output_text(rendered)
    source_words, out_words = words(source_text), words(out_text)
    recall, missing = word_recall(source_words, out_words)
    classic = is_classic(content)
    return PostScore(
        post_id=post_id,
        title=title,
        recall=recall,
        order=order_similarity(source_words, out_words),
        source_words=len(source_words),
        missing=tuple(missing.most_common(8)),
        classic=classic,
        source_paragraphs=source_paragraphs(content, autop) if classic else 0,
        output_paragraphs=count_paragraphs(rendered) if classic else 0,
        markup_left=markup_left(rendered, literal_shortcodes(source_text)),
        mojibake_left=repair_text(out_text)[1],
    )
