"""Background: a call run in a forked child, its result or its error taken later."""

from __future__ import annotations

import multiprocessing
import os
import signal
from pathlib import Path

import pytest

from wpmigrate.background import Background
from wpmigrate.errors import OutputError

needs_fork = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="needs fork"
)


def _write_and_tell(folder: Path, text: str) -> tuple[int, list[str]]:
    (folder / "out.txt").write_text(text)
    return os.getpid(), sorted(p.name for p in folder.iterdir())


def _refuse(relpath: str) -> None:
    raise OutputError(f"refusing to write outside the output: {relpath}")


@needs_fork
def test_forked_call_runs_in_another_process_and_returns_its_value(tmp_path: Path) -> None:
    with Background(_write_and_tell, tmp_path, "hello") as call:
        pid, names = call.result()
    assert pid != os.getpid()
    assert names == ["out.txt"]
    assert (tmp_path / "out.txt").read_text() == "hello"


@pytest.mark.parametrize("forked", [True, False])
def test_the_calls_error_is_raised_by_result(forked: bool) -> None:
    message = r"refusing to write outside the output: \.\./x\.md"
    with Background(_refuse, "../x.md", forked=forked) as call, pytest.raises(
        OutputError, match=message
    ):
        call.result()


def test_unforked_call_runs_when_its_result_is_wanted(tmp_path: Path) -> None:
    call = Background(_write_and_tell, tmp_path, "later", forked=False)
    assert not (tmp_path / "out.txt").exists()
    pid, _names = call.result()
    assert pid == os.getpid()
    assert (tmp_path / "out.txt").read_text() == "later"


def _die(folder: Path) -> tuple[int, list[str]]:
    if not (folder / "ran-once").exists():
        (folder / "ran-once").write_text("")
        os.kill(os.getpid(), signal.SIGKILL)
    return _write_and_tell(folder, "second try")


@needs_fork
def test_a_child_killed_before_answering_is_replaced_by_a_run_here(tmp_path: Path) -> None:
    with Background(_die, tmp_path) as call:
        pid, names = call.result()
    assert pid == os.getpid()
    assert names == ["out.txt", "ran-once"]
    assert (tmp_path / "out.txt").read_text() == "second try"


class _PickyError(Exception):
    """Pickles, but does not unpickle (its constructor wants two arguments)."""

    def __init__(self, path: str, why: str) -> None:
        super().__init__(f"{path}: {why}")


def _raise_picky(folder: Path) -> None:
    (folder / "runs").write_text((folder / "runs").read_text() + "x")
    raise _PickyError("a.md", "broken")


@needs_fork
def test_an_error_that_cannot_come_back_is_raised_by_a_run_here(tmp_path: Path) -> None:
    (tmp_path / "runs").write_text("")
    with Background(_raise_picky, tmp_path) as call, pytest.raises(_PickyError, match="broken"):
        call.result()
    assert (tmp_path / "runs").read_text() == "xx"  # the child's run, then this one
