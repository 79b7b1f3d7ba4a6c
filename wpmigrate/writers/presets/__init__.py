"""The registry of presets: a plain dict from name to ``Preset``."""

from __future__ import annotations

from wpmigrate.errors import OptionsError
from wpmigrate.writers.presets import (
    astro,
    eleventy,
    hugo,
    jekyll,
    markdown,
    nextjs,
    pelican,
    zola,
)
from wpmigrate.writers.presets.base import Entry, Preset

PRESETS: dict[str, Preset] = {
    preset.name: preset for preset in (
        hugo.PRESET,
        jekyll.PRESET,
        eleventy.PRESET,
        astro.PRESET,
        zola.PRESET,
        nextjs.PRESET,
        pelican.PRESET,
        markdown.PRESET,
    )
}


def get_preset(name: str) -> Preset:
    """The preset called ``name``, or an OptionsError listing the known ones."""
    try:
        return PRESETS[name]
    except KeyError:
        known = ", ".join(sorted(PRESETS))
        raise OptionsError(f"unknown preset {name!r}; choose one of: {known}") from None


def check_front_matter(preset: Preset, fmt: str) -> None:
    """Refuse a ``--front-matter`` format the preset's engine cannot read."""
    if fmt and fmt not in preset.front_matter_formats:
        known = ", ".join(preset.front_matter_formats)
        raise OptionsError(f"{preset.name} reads {known} front matter only, not {fmt}")


__all__ = ["PRESETS", "Entry", "Preset", "check_front_matter", "get_preset"]
