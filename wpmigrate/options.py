"""One immutable options object per operation.

The CLI builds a ``ConvertOptions`` from its flags; library users build one directly.
Defaults live here only, and a test checks that the CLI's defaults equal them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

SourceKind = Literal["auto", "wxr", "mirror"]
MediaMode = Literal["auto", "download", "copy", "keep"]
NameBy = Literal["slug", "id"]
CommentsMode = Literal["data", "none"]


@dataclass(frozen=True, slots=True)
class ConvertOptions:
    """Everything ``wpmigrate.pipeline.convert`` needs besides the source path."""

    output: Path = Path("output")
    preset: str = "hugo"
    source_kind: SourceKind = "auto"
    include_drafts: bool = False
    front_matter: str = ""  # "yaml" or "toml"; "" means the preset's default
    name_by: NameBy = "slug"
    date_layout: str = ""  # e.g. "{year}/{month}"; "" means the preset's default
    #: "auto": download what is not found locally for an export, copy only for a
    #: mirror (its site may be gone: a mirror run never goes to the network).
    media: MediaMode = "auto"
    uploads: Path | None = None  # a local copy of wp-content/uploads
    media_hosts: tuple[str, ...] = ()  # extra hosts media may be downloaded from
    #: Download uploads from this origin instead of the old site's (e.g. the old domain
    #: now points at the new site, or a test server): "http://127.0.0.1:8000".
    media_base: str = ""
    #: Redirect files for the web server: "netlify", "cloudflare", "nginx", "apache".
    #: On by default: old ``/?p=ID`` links can only be redirected by the server.
    redirects: tuple[str, ...] = ("netlify", "nginx", "apache")
    #: "data": the approved comments of each written item in a data file where the
    #: preset says (``Preset.comments_path``); "none": no comment is written.
    comments: CommentsMode = "data"
    workers: int = 0  # 0: one per CPU core; 1: no worker processes
    strict: bool = False  # turn warnings into a failing exit at the end
    extra: dict[str, str] = field(default_factory=dict)  # preset-specific settings
