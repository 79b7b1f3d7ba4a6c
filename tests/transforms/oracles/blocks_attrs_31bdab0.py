# _attrs of wpmigrate/transforms/blocks.py as of commit 31bdab0, verbatim below: the
# oracle that the block attribute reader calling json's scanner directly is checked
# against (tests/transforms/test_blocks_attrs.py). Do not edit.

from __future__ import annotations

import json
from typing import Any


def _attrs(text: str | None, name: str, warnings: list[str] | None) -> dict[str, Any]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        if warnings is not None:
            warnings.append(f"block {name} has unreadable attributes")
        return {}
    return value if isinstance(value, dict) else {}
