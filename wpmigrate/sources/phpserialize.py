"""A small, safe reader for PHP ``serialize()`` output, as found in WordPress postmeta.

WordPress stores structured meta (``_wp_attachment_metadata``: the original file and
its resized variants) PHP-serialized, and the export carries it verbatim. Python must
never ``unserialize`` PHP objects (there is nothing to gain and a lot to risk), so only
plain values are accepted: ``N`` (null), ``b`` (bool), ``i`` (int), ``d`` (float),
``s`` (string) and ``a`` (array). Objects, references and custom serializations raise
ValueError, as does anything malformed.

String lengths in the format are **byte** counts of the UTF-8 text, not character
counts, so the input is parsed as bytes. PHP arrays are ordered maps and are returned
as dicts (insertion order kept, keys ``int`` or ``str``); :func:`loads` with
``lists=True`` turns arrays keyed exactly ``0..n-1`` into lists.
"""

from __future__ import annotations

from typing import TypeAlias

PhpValue: TypeAlias = "bool | int | float | str | list[PhpValue] | dict[int | str, PhpValue] | None"

MAX_DEPTH = 64  # deeper nesting than any WordPress meta; keeps recursion bounded


class _Reader:
    """A cursor over the serialized bytes."""

    def __init__(self, data: bytes, lists: bool) -> None:
        self.data = data
        self.pos = 0
        self.lists = lists

    def fail(self, problem: str) -> ValueError:
        """A ValueError naming the byte offset."""
        return ValueError(f"malformed PHP serialized data at byte {self.pos}: {problem}")

    def expect(self, token: bytes) -> None:
        """Consume ``token`` or fail."""
        if not self.data.startswith(token, self.pos):
            found = self.data[self.pos : self.pos + len(token)]
            raise self.fail(f"expected {token.decode()!r}, found {found.decode('latin-1')!r}")
        self.pos += len(token)

    def until(self, delimiter: bytes) -> bytes:
        """The bytes up to ``delimiter``, consuming both."""
        end = self.data.find(delimiter, self.pos)
        if end < 0:
            raise self.fail(f"missing {delimiter.decode()!r}")
        token = self.data[self.pos : end]
        self.pos = end + len(delimiter)
        return token

    def integer(self, delimiter: bytes) -> int:
        """An integer written in decimal, up to ``delimiter``."""
        token = self.until(delimiter)
        body = token[1:] if token[:1] in (b"-", b"+") else token
        if not body.isdigit():
            raise self.fail(f"not an integer: {token.decode('latin-1')!r}")
        return int(token)

    def value(self, depth: int) -> PhpValue:
        """One serialized value starting at the cursor."""
        if depth > MAX_DEPTH:
            raise self.fail(f"nested deeper than {MAX_DEPTH} levels")
        kind = self.data[self.pos : self.pos + 2]
        if kind == b"N;":
            self.pos += 2
            return None
        self.pos += 2
        if kind == b"b:":
            flag = self.until(b";")
            if flag not in (b"0", b"1"):
                raise self.fail(f"not a boolean: {flag.decode('latin-1')!r}")
            return flag == b"1"
        if kind == b"i:":
            return self.integer(b";")
        if kind == b"d:":
            return self.double()
        if kind == b"s:":
            return self.string()
        if kind == b"a:":
            return self.array(depth)
        self.pos -= 2
        if kind in (b"O:", b"C:", b"r:", b"R:", b"E:"):
            raise self.fail(f"PHP objects and references are not accepted ({kind.decode()!r})")
        raise self.fail(f"unknown type {kind.decode('latin-1')!r}")

    def double(self) -> float:
        """A float: decimal, exponent, ``INF``, ``-INF`` or ``NAN``."""
        token = self.until(b";")
        try:
            return float(token.decode("ascii"))
        except (UnicodeDecodeError, ValueError):
            raise self.fail(f"not a number: {token.decode('latin-1')!r}") from None

    def string(self) -> str:
        """A string of a stated byte length, in double quotes."""
        length = self.integer(b":")
        if length < 0:
            raise self.fail("negative string length")
        self.expect(b'"')
        end = self.pos + length
        if end > len(self.data):
            raise self.fail("string runs past the end of the data")
        if not self.data.startswith(b'";', end):
            end = self._crlf_end(length)
        raw = self.data[self.pos : end]
        self.pos = end
        self.expect(b'";')
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise self.fail("string is not valid UTF-8 (wrong byte length?)") from None

    def _crlf_end(self, length: int) -> int:
        """Where a string ends if its line breaks were ``\\r\\n`` when it was serialized.

        XML parsers turn ``\\r\\n`` into ``\\n``, so text that went through a WXR
        export (e.g. a contact form's mail body) is one byte shorter per line than its
        stated length. Counting each ``\\n`` as two bytes finds the real end; if that
        does not land just before ``";`` either, the data is malformed.
        """
        count = 0
        pos = self.pos
        while count < length and pos < len(self.data):
            count += 2 if self.data[pos] == 0x0A else 1
            pos += 1
        if count != length or not self.data.startswith(b'";', pos):
            raise self.fail(f"string is not {length} bytes long")
        return pos

    def array(self, depth: int) -> dict[int | str, PhpValue] | list[PhpValue]:
        """An array: a count, then that many key/value pairs in braces."""
        count = self.integer(b":")
        if count < 0:
            raise self.fail("negative array size")
        self.expect(b"{")
        result: dict[int | str, PhpValue] = {}
        for _ in range(count):
            key = self.value(depth + 1)
            if not isinstance(key, int | str) or isinstance(key, bool):
                raise self.fail(f"array key must be an integer or a string, not {key!r}")
            result[key] = self.value(depth + 1)
        self.expect(b"}")
        if self.lists and result and list(result) == list(range(len(result))):
            return list(result.values())
        return result


def loads(data: str | bytes, *, lists: bool = False) -> PhpValue:
    """The value ``data`` serializes. Raises ValueError when malformed or not plain data.

    ``str`` input is encoded as UTF-8 first (string lengths count UTF-8 bytes).
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    reader = _Reader(raw, lists)
    value = reader.value(0)
    if reader.pos != len(raw):
        raise reader.fail("unexpected data after the value")
    return value


def attachment_files(metadata: str) -> tuple[str, tuple[str, ...]]:
    """From ``_wp_attachment_metadata``: the original file and the resized files' names.

    ``("2020/05/photo.jpg", ("photo-150x150.jpg", "photo-300x200.jpg"))``: the original
    relative to the uploads folder, the variants as bare names (they live beside it).
    Raises ValueError when the value is malformed.
    """
    value = loads(metadata)
    if not isinstance(value, dict):
        raise ValueError("attachment metadata is not a PHP array")
    original = value.get("file")
    sizes = value.get("sizes")
    names: list[str] = []
    if isinstance(sizes, dict):
        for size in sizes.values():
            name = size.get("file") if isinstance(size, dict) else None
            if isinstance(name, str) and name and name not in names:
                names.append(name)
    return (original if isinstance(original, str) else ""), tuple(names)
