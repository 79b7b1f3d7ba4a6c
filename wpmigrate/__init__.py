"""wpmigrate: move WordPress sites onto static-site engines.

The library API, usable without the command line::

    from wpmigrate import ConvertOptions, convert, check_links, CheckOptions
    report = convert(Path("site.xml"), ConvertOptions(output=Path("site")))
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

#: Public names → the module that defines them (imported on first use, so that
#: ``import wpmigrate.model`` stays cheap).
_EXPORTS = {
    "convert": "wpmigrate.pipeline",
    "ConvertOptions": "wpmigrate.options",
    "Report": "wpmigrate.report",
    "check_links": "wpmigrate.checks",
    "CheckOptions": "wpmigrate.checks",
    "LinkReport": "wpmigrate.checks",
    "Site": "wpmigrate.model",
    "Post": "wpmigrate.model",
    "Term": "wpmigrate.model",
    "TermRef": "wpmigrate.model",
    "Author": "wpmigrate.model",
    "Media": "wpmigrate.model",
    "Comment": "wpmigrate.model",
    "ItemReport": "wpmigrate.model",
    "WpMigrateError": "wpmigrate.errors",
    "SourceError": "wpmigrate.errors",
    "OptionsError": "wpmigrate.errors",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        from importlib import import_module

        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'wpmigrate' has no attribute {name!r}")
