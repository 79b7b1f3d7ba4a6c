"""Where each WordPress theme puts a post's body: ONE data table plus a generic fallback.

The mirror source needs the post's body only (WordPress's ``the_content()`` output),
never the theme's header, menus, sidebars, comments, share buttons or related posts.
Each theme wraps that body in its own element; this table names it. Adding a theme is
adding a row. Themes not in the table use ``FALLBACK`` and, when even that finds
nothing, the text-density search in ``mirror_content``.

XPath is used (not CSS) because lxml's CSS support needs an extra package.
"""

from __future__ import annotations

from dataclasses import dataclass


def has_class(name: str) -> str:
    """An XPath predicate matching elements whose class list contains ``name``."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


@dataclass(frozen=True, slots=True)
class ThemeProfile:
    """How one theme marks up a singular post.

    ``content`` XPaths are tried in order, relative to the main article first and then to
    the whole page; the first match is the body. ``remove`` XPaths (relative to the body)
    name theme furniture the theme injects inside the body.
    """

    name: str
    content: tuple[str, ...]
    remove: tuple[str, ...] = ()


_ENTRY_CONTENT = f".//*[{has_class('entry-content')}]"

#: Furniture that plugins or themes inject inside the body, removed for every theme.
COMMON_REMOVE: tuple[str, ...] = (
    f".//*[{has_class('sharedaddy')}]",
    f".//*[{has_class('jp-relatedposts')}]",
    f".//*[{has_class('addtoany_share_save_container')}]",
    f".//*[{has_class('a2a_kit')}]",
    f".//*[{has_class('sharrre-container')}]",
    f".//*[{has_class('yarpp-related')}]",
    f".//*[{has_class('post-navigation')}]",
    f".//*[{has_class('comments-area')}]",
    ".//*[@id='comments']",
    f".//*[{has_class('wpcnt')}]",  # WordAds
    f".//*[{has_class('skip-link')}]",
)

THEMES: dict[str, ThemeProfile] = {
    profile.name: profile
    for profile in (
        ThemeProfile("twentytwentyone", (_ENTRY_CONTENT,)),
        ThemeProfile("twentytwenty", (f".//*[{has_class('entry-content')}]",)),
        ThemeProfile("twentynineteen", (_ENTRY_CONTENT,)),
        ThemeProfile(
            "the-conference",
            (f".//*[{has_class('entry-content')}][@itemprop='text']", _ENTRY_CONTENT),
        ),
        ThemeProfile(
            "hueman",
            (f".//*[{has_class('entry-inner')}]", f".//*[{has_class('entry')}]"),
            (f".//nav[{has_class('pagination')}]",),
        ),
        ThemeProfile(
            "astra", (f".//*[{has_class('entry-content')}][@itemprop='text']", _ENTRY_CONTENT)
        ),
        ThemeProfile(
            "generatepress",
            (f".//*[{has_class('entry-content')}][@itemprop='text']", _ENTRY_CONTENT),
        ),
        ThemeProfile("genesis", (_ENTRY_CONTENT,)),
    )
}

#: For themes not in the table: the usual names of the body element, most specific first.
FALLBACK = ThemeProfile(
    "generic",
    (
        _ENTRY_CONTENT,
        ".//*[@itemprop='articleBody']",
        f".//*[{has_class('post-content')}]",
        f".//*[{has_class('article-content')}]",
        f".//*[{has_class('entry-body')}]",
        f".//*[{has_class('post-body')}]",
        f".//*[{has_class('single-content')}]",
        f".//*[{has_class('content-inner')}]",
        f".//*[{has_class('entry')}]",
    ),
)

#: Class words marking elements that are never the body (used by the density search).
NOT_BODY_WORDS: tuple[str, ...] = (
    "nav",
    "menu",
    "sidebar",
    "widget",
    "footer",
    "header",
    "comment",
    "share",
    "social",
    "related",
    "breadcrumb",
    "author-bio",
    "byline",
    "meta",
    "pagination",
    "skip",
)


def theme_of(stylesheets: list[str], body_classes: list[str]) -> ThemeProfile:
    """The profile of the theme whose stylesheet the page loads (child themes: the parent
    is usually loaded too), or ``FALLBACK``."""
    for href in stylesheets:
        lowered = href.lower()
        for name, profile in THEMES.items():
            if f"/themes/{name}/" in lowered:
                return profile
    if any(cls.startswith("ast-") for cls in body_classes):
        return THEMES["astra"]
    return FALLBACK
