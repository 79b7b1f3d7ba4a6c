"""One run per output directory; what a killed run left behind is cleaned up."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import SAMPLE
from wpmigrate.cli import cli
from wpmigrate.errors import OutputError
from wpmigrate.options import ConvertOptions
from wpmigrate.pipeline import convert
from wpmigrate.writers.outputlock import LOCK_NAME, OutputLock, is_leftover_temp

pytestmark = pytest.mark.skipif(os.name != "posix", reason="the lock uses fcntl.flock")

REPO = Path(__file__).resolve().parents[2]


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _convert(out: Path) -> None:
    convert(SAMPLE, ConvertOptions(output=out, workers=1, media="keep"))


def test_a_second_run_into_a_directory_in_use_stops_with_a_clear_error(tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    with OutputLock(out):
        result = CliRunner().invoke(cli, ["convert", str(SAMPLE), "-o", str(out)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {out} is being written by another wpmigrate run (process {os.getpid()}); "
        "wait for it to finish or choose another -o\n"
    )
    assert sorted(p.name for p in out.iterdir()) == []  # nothing written, lock released


def test_the_lock_file_is_gone_after_a_run_and_after_a_failed_one(tmp_path: Path) -> None:
    _convert(tmp_path)
    assert not (tmp_path / LOCK_NAME).exists()
    with pytest.raises(RuntimeError), OutputLock(tmp_path):
        assert (tmp_path / LOCK_NAME).read_text() == f"{os.getpid()}\n"
        raise RuntimeError("boom")
    assert not (tmp_path / LOCK_NAME).exists()
    with OutputLock(tmp_path):  # and it can be taken again
        pass


def test_a_held_lock_refuses_a_second_holder_in_the_same_process(tmp_path: Path) -> None:
    with OutputLock(tmp_path), pytest.raises(OutputError, match="another wpmigrate run"):
        OutputLock(tmp_path).__enter__()


def test_leftovers_of_a_killed_run_are_deleted_and_nothing_else(tmp_path: Path) -> None:
    clean = tmp_path / "clean"
    _convert(clean)
    out = tmp_path / "out"
    _convert(out)
    leftovers = [
        out / ".wpmigrate-index-k2j3h4.sqlite",
        out / "content" / "posts" / "hello-world" / ".wpm-4242-7.tmp",
        out / ".wpm-99-0.tmp",
    ]
    kept = [out / "content" / "notes.tmp", out / "content" / ".wpm-readme.txt", out / "x.sqlite"]
    for path in leftovers + kept:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"left behind")
    _convert(out)
    assert [p for p in leftovers if p.exists()] == []
    assert all(p.read_bytes() == b"left behind" for p in kept)
    for path in kept:
        path.unlink()
    assert _files(out) == _files(clean)


@pytest.mark.parametrize(
    ("name", "leftover"),
    [
        (".wpm-123-4.tmp", True),
        (".wpm-123-4.part", False),
        ("wpm-123-4.tmp", False),
        (".wpm-123-4.tmp.md", False),
        (".wpmigrate.lock", False),
    ],
)
def test_which_names_are_leftover_temporary_files(name: str, leftover: bool) -> None:
    assert is_leftover_temp(name) is leftover


_KILLED_RUN = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    import wpmigrate.pass2 as pass2
    from wpmigrate.options import ConvertOptions
    from wpmigrate.pipeline import convert

    def stuck(*args, **kwargs):  # pass 1 is done: the index's scratch file exists
        print("stuck", flush=True)
        time.sleep(600)

    pass2.process_range = stuck
    convert(Path(sys.argv[1]), ConvertOptions(output=Path(sys.argv[2]), workers=1))
    """
)


def test_a_run_killed_midway_leaves_nothing_after_the_next_run(tmp_path: Path) -> None:
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen(
        [sys.executable, "-c", _KILLED_RUN, str(SAMPLE), str(out)],
        stdout=subprocess.PIPE, text=True, env=env,
    )
    try:
        assert child.stdout is not None and child.stdout.readline() == "stuck\n"
        scratch = sorted(p.name for p in out.iterdir() if p.name.startswith(".wpmigrate"))
        assert LOCK_NAME in scratch and any(n.endswith(".sqlite") for n in scratch)
        with pytest.raises(OutputError, match=f"process {child.pid}"):
            _convert(out)  # still running: refused
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    _convert(out)  # the lock died with the process
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []
