"""The status policy: which items are written, which are skipped, and why.

Published posts and pages (and custom post types) are written. Drafts, pending,
future and private items are skipped unless ``--include-drafts``, and then written
with the engine's draft flag. Password-protected items are never written as
published. WordPress's own records (attachments, revisions, menus, theme and editor
records) and plugin records are skipped with a reason the report shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from wpmigrate.model import Post, fast_pickle

#: Post types WordPress uses for itself, with the reason shown in the report.
INTERNAL_TYPES: dict[str, str] = {
    "attachment": "attachment (a media-library record; its file is handled as media)",
    "revision": "revision of another item",
    "nav_menu_item": "navigation menu item",
    "custom_css": "theme record (custom_css)",
    "customize_changeset": "theme record (customize_changeset)",
    "oembed_cache": "oEmbed cache record",
    "user_request": "privacy request record",
    "wp_block": "reusable block (its content is inlined where it is used)",
    "wp_template": "theme record (wp_template)",
    "wp_template_part": "theme record (wp_template_part)",
    "wp_global_styles": "theme record (wp_global_styles)",
    "wp_navigation": "theme record (wp_navigation)",
    "wp_font_family": "theme record (wp_font_family)",
    "wp_font_face": "theme record (wp_font_face)",
}

#: Plugin post types that hold configuration, not content.
PLUGIN_TYPES = frozenset(
    {
        "wpcf7_contact_form", "acf-field", "acf-field-group", "feedback", "jp_pay_order",
        "jp_pay_product", "shop_order", "shop_coupon", "scheduled-action", "amp_validated_url",
        "wp_router_page", "jetpack_migration", "safecss", "wpforms", "elementor_library",
        "et_pb_layout", "mc4wp-form", "ml-slider", "tablepress_table",
    }
)

DRAFT_STATUSES = frozenset({"draft", "pending", "future", "private"})


@fast_pickle
@dataclass(frozen=True, slots=True)
class Decision:
    """Whether to write an item, and if not, why."""

    write: bool
    reason: str = ""
    draft: bool = False


def decide(post: Post, include_drafts: bool) -> Decision:
    """Apply the status policy to one item."""
    if post.type in INTERNAL_TYPES:
        return Decision(False, INTERNAL_TYPES[post.type])
    if post.type in PLUGIN_TYPES:
        return Decision(False, f"plugin record ({post.type})")
    status = post.status or "publish"
    if status == "trash":
        return Decision(False, "in the trash")
    if status == "auto-draft":
        return Decision(False, "auto-draft (never saved by its author)")
    if status == "inherit":
        return Decision(False, "revision of another item")
    if status in DRAFT_STATUSES or post.has_password:
        return _unpublished(status, post.has_password, include_drafts)
    if status != "publish":
        return Decision(False, f"unknown status {status!r}")
    return Decision(True)


def _unpublished(status: str, has_password: bool, include_drafts: bool) -> Decision:
    what = "password-protected" if has_password else status
    if include_drafts:
        return Decision(True, f"{what}: written as a draft", draft=True)
    return Decision(False, f"{what} (use --include-drafts to write it as a draft)")
