"""Background: a call run in a forked child, its result or its error taken later."""

from __future__ import annotations

import multiprocessing
import os
import signal
from functools import partial
from pathlib import Path

import pytest

from wpmigrate.background import Background, Sink
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


def _append(path: Path, batch: list[int]) -> None:
    if -1 in batch:
        raise OutputError(f"refusing batch {batch}")
    if -9 in batch:
        os.kill(os.getpid(), signal.SIGKILL)
    with path.open("a") as out:
        out.write(f"{os.getpid()}:{','.join(map(str, batch))}\n")


def _mark_done(path: Path) -> None:
    with path.open("a") as out:
        out.write("done\n")


@pytest.mark.parametrize("forked", [True, False])
def test_a_sink_handles_every_batch_in_order_then_runs_done(tmp_path: Path, forked: bool) -> None:
    log = tmp_path / "log"
    batches = [[n, n + 1] for n in range(0, 2000, 2)]  # more than a pipe holds
    with Sink(partial(_append, log), partial(_mark_done, log), forked=forked) as sink:
        for batch in batches:
            sink.put(batch)
        sink.close()
    lines = log.read_text().splitlines()
    assert lines[-1] == "done"
    pids = {line.split(":")[0] for line in lines[:-1]}
    assert (pids == {str(os.getpid())}) is not (forked and _can_fork())
    assert [line.split(":")[1] for line in lines[:-1]] == [f"{a},{b}" for a, b in batches]


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


@pytest.mark.parametrize("forked", [True, False])
def test_a_sinks_error_is_raised_and_done_is_not_run(tmp_path: Path, forked: bool) -> None:
    log = tmp_path / "log"
    with pytest.raises(OutputError, match=r"refusing batch \[-1\]"), Sink(
        partial(_append, log), partial(_mark_done, log), forked=forked
    ) as sink:
        for batch in ([1], [-1], *([n] for n in range(2, 3000))):  # the child drains them
            sink.put(batch)
        sink.close()
    assert [line.split(":")[1] for line in log.read_text().splitlines()] == ["1"]


@needs_fork
def test_a_sink_whose_child_died_raises(tmp_path: Path) -> None:
    log = tmp_path / "log"
    with pytest.raises(RuntimeError, match="ended without finishing"), Sink(
        partial(_append, log), partial(_mark_done, log)
    ) as sink:
        for batch in ([1], [-9], *([n] * 100 for n in range(2, 3000))):
            sink.put(batch)
        sink.close()
    assert "done" not in log.read_text()


@needs_fork
def test_a_sink_without_a_process_to_be_had_works_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(self: object) -> None:
        raise OSError("no memory for a process")

    monkeypatch.setattr(multiprocessing.get_context("fork").Process, "start", refuse)
    log = tmp_path / "log"
    with Sink(partial(_append, log), partial(_mark_done, log)) as sink:
        sink.put([1, 2])
        sink.close()
    assert log.read_text() == f"{os.getpid()}:1,2\ndone\n"
