"""Safe writing: sanitized names, uniqueness, confinement, atomicity."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wpmigrate.errors import OutputError
from wpmigrate.indexstore import IndexStore
from wpmigrate.writers.safe import PathAllocator, SafeWriter, sanitize_relpath, sanitize_segment


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("hello-world", "hello-world"),
        ("..", "untitled"),
        ("../../etc/passwd", "etc-passwd"),
        ("a\x00b\x1fc", "a-b-c"),
        ("CON", "CON-"),
        ("nul.txt", "nul.txt-"),
        ("what?*<>|", "what"),
        (".hidden", "hidden"),
        ("日本語の記事", "日本語の記事"),
        ("trailing. ", "trailing"),
        ("", "untitled"),
    ],
)
def test_sanitize_segment(name: str, expected: str) -> None:
    assert sanitize_segment(name) == expected


def test_sanitize_segment_caps_length_in_utf8_bytes() -> None:
    result = sanitize_segment("語" * 300)
    assert len(result.encode("utf-8")) <= 200
    assert result == "語" * 66


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/etc/passwd", "etc/passwd"),
        ("content/../../x/index.md", "content/untitled/untitled/x/index.md"),
        ("a\\b\\c.md", "a/b/c.md"),
        ("./posts/x.md", "posts/x.md"),
        ("//srv//posts/./x.md", "srv/posts/x.md"),
    ],
)
def test_sanitize_relpath_never_escapes(path: str, expected: str) -> None:
    assert sanitize_relpath(path) == expected


def test_allocator_is_unique_case_insensitively() -> None:
    allocator = PathAllocator()
    assert allocator.claim("content/posts/Hello/index.md") == "content/posts/Hello/index.md"
    assert allocator.claim("content/posts/hello/index.md") == "content/posts/hello-2/index.md"
    assert allocator.claim("content/posts/HELLO/index.md") == "content/posts/HELLO-3/index.md"
    assert allocator.claim("_posts/2023-01-01-a.md") == "_posts/2023-01-01-a.md"
    assert allocator.claim("_posts/2023-01-01-A.md") == "_posts/2023-01-01-A-2.md"


def test_writer_refuses_symlink_escape(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (out / "link").symlink_to(outside)
    writer = SafeWriter(out)
    with pytest.raises(OutputError, match="refusing to write outside"):
        writer.write_text("link/x.md", "x")
    assert not (outside / "x.md").exists()


def test_writer_is_atomic_and_leaves_no_temp_files(tmp_path: Path) -> None:
    writer = SafeWriter(tmp_path)
    writer.write_text("a/b.md", "first\n")
    writer.write_text("a/b.md", "second\n")
    assert (tmp_path / "a" / "b.md").read_text() == "second\n"
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["b.md"]


def test_writer_leaves_unchanged_files_untouched(tmp_path: Path) -> None:
    writer = SafeWriter(tmp_path)
    target = Path(writer.write_text("x.md", "same\n"))
    mtime = target.stat().st_mtime_ns
    writer.write_text("x.md", "same\n")
    assert target.stat().st_mtime_ns == mtime


def test_write_chunks_is_atomic_and_keeps_identical_files(tmp_path: Path) -> None:
    writer = SafeWriter(tmp_path)
    target = writer.write_chunks("r.json", iter(["{", "\n", "}\n"]))
    assert target.read_text() == "{\n}\n"
    mtime = target.stat().st_mtime_ns
    writer.write_chunks("r.json", ["{\n}\n"])
    assert target.stat().st_mtime_ns == mtime
    writer.write_chunks("r.json", ["[]\n"])
    assert target.read_text() == "[]\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.json"]


def test_writer_replaces_a_symlinked_file_instead_of_writing_through_it(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    outside = tmp_path / "secret.txt"
    outside.write_text("keep me\n")
    (out / "x.md").symlink_to(outside)
    SafeWriter(out).write_text("x.md", "new\n")
    assert outside.read_text() == "keep me\n"
    assert not (out / "x.md").is_symlink()
    assert (out / "x.md").read_text() == "new\n"


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize("umask", [0o022, 0o002])
def test_written_files_get_ordinary_permissions(tmp_path: Path, umask: int) -> None:
    """Not mkstemp's 0600: a web server must be able to read the redirect rules."""
    old = os.umask(umask)
    try:
        writer = SafeWriter(tmp_path)
        writer.write_text("content/posts/a/index.md", "x\n")
        writer.write_chunks("nginx-redirects.conf", ["map {}\n"])
    finally:
        os.umask(old)
    for name in ("content/posts/a/index.md", "nginx-redirects.conf"):
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o666 & ~umask


def test_writer_refuses_a_linked_folder_below_new_ones(tmp_path: Path) -> None:
    """Folders are made before they are checked only when mkdir makes them: an existing
    link met on the way (here below a folder made by this write) is still checked."""
    out, outside = tmp_path / "out", tmp_path / "outside"
    outside.mkdir()
    (out / "content").mkdir(parents=True)
    (out / "content" / "posts").symlink_to(outside)
    writer = SafeWriter(out)
    writer.write_text("content/pages/a/index.md", "made\n")
    with pytest.raises(OutputError, match="refusing to write outside"):
        writer.write_text("content/posts/b/index.md", "x\n")
    assert list(outside.iterdir()) == []
    assert (out / "content" / "pages" / "a" / "index.md").read_text() == "made\n"


def test_writer_follows_a_link_that_stays_inside_the_root(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "alias").symlink_to(tmp_path / "real")
    SafeWriter(tmp_path).write_text("alias/new/x.md", "x\n")
    assert (tmp_path / "real" / "new" / "x.md").read_text() == "x\n"


def test_writer_fails_where_a_file_stands_in_for_a_folder(tmp_path: Path) -> None:
    (tmp_path / "posts").write_text("not a folder\n")
    with pytest.raises(OSError):
        SafeWriter(tmp_path).write_text("posts/a/index.md", "x\n")
    assert (tmp_path / "posts").read_text() == "not a folder\n"


def test_a_new_writer_leaves_files_of_an_earlier_run_untouched(tmp_path: Path) -> None:
    target = Path(SafeWriter(tmp_path).write_text("content/posts/a/index.md", "same\n"))
    mtime = target.stat().st_mtime_ns
    rerun = SafeWriter(tmp_path)
    assert rerun.write_text("content/posts/a/index.md", "same\n") == str(target)
    assert target.stat().st_mtime_ns == mtime
    rerun.write_text("content/posts/a/index.md", "changed\n")
    assert target.read_text() == "changed\n"


# Slugs that collide with each other, case-insensitively and with numbered variants.
_CLASHING_PATHS = st.lists(
    st.builds(
        "content/posts/{}/index.md".format,
        st.sampled_from(["a", "A", "a-2", "A-2", "a-3", "b", "B-2", "..", "con"]),
    )
    | st.sampled_from(["_posts/x.md", "_posts/X-2.md", "_posts/x-2.md", "notes/a.md"]),
    max_size=30,
)


@settings(max_examples=200, deadline=None)
@given(_CLASHING_PATHS, _CLASHING_PATHS, st.booleans())
def test_batched_claims_match_one_at_a_time(
    tmp_path_factory: pytest.TempPathFactory,
    before: list[str],
    paths: list[str],
    on_disk: bool,
) -> None:
    """Two batches, the second meeting the first's claims: the same paths as claiming
    one by one, with the claims kept in a dict or in a table."""
    expected = PathAllocator()
    with IndexStore(tmp_path_factory.mktemp("taken")) as store:
        batched = PathAllocator(store.map("taken", "TEXT", pickled=False) if on_disk else None)
        assert batched.claim_many(before) == [expected.claim(path) for path in before]
        assert batched.claim_many(paths) == [expected.claim(path) for path in paths]
        assert batched.claim("content/posts/a/index.md") == expected.claim(
            "content/posts/a/index.md"
        )
