"""One call run in a forked process while this one goes on, its result taken later.

The redirect files, term pages and engine config of a big site take seconds to write
and need only the finished index, so they are written while pass 2 converts the items
instead of after it. Without ``fork`` (Windows), or when asked not to, the call simply
runs when its result is wanted, so the result never depends on how it was run. A
child that dies without a result (killed, out of memory) is not trusted: the call is
run again here, which is safe for calls that write their files atomically; so is
an answer that cannot be read back (an exception whose class does not unpickle).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import pickle
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

T = TypeVar("T")


class Background(Generic[T]):
    """``call(*args)``, started at once in a forked child when ``forked`` (and fork
    exists); ``result()`` returns its value or raises its exception."""

    def __init__(self, call: Callable[..., T], *args: Any, forked: bool = True) -> None:
        self._call, self._args = call, args
        self._process: multiprocessing.process.BaseProcess | None = None
        self._receive: Connection | None = None
        if forked and "fork" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("fork")
            self._receive, send = context.Pipe(duplex=False)
            self._process = context.Process(
                target=_run_child, args=(send, call, args), daemon=True
            )
            self._process.start()
            send.close()

    def result(self) -> T:
        """The call's value: the child's, or the call run here (no child, or a child
        that ended without sending one)."""
        if self._process is None or self._receive is None:
            return self._call(*self._args)
        try:
            ok, value = self._receive.recv()
        except Exception:  # no answer, or one that cannot be unpickled here
            ok, value = None, None
        finally:
            self._stop()
        if ok is None:
            return self._call(*self._args)
        if not ok:
            raise value
        result: T = value
        return result

    def _stop(self) -> None:
        _stop_process(self._process)
        self._process = None
        if self._receive is not None:
            self._receive.close()
            self._receive = None

    def __enter__(self) -> Background[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop()  # after result(), nothing left; on an error, the child is stopped


def _run_child(send: Connection, call: Callable[..., Any], args: tuple[Any, ...]) -> None:
    """In the forked child: run the call and send (True, value) or (False, error)."""
    try:
        message: tuple[bool, Any] = (True, call(*args))
    except Exception as error:  # sent to the parent, which raises it
        message = (False, error)
    _answer(send, message)


def _answer(send: Connection, message: tuple[bool, Any]) -> None:
    """Send a child's (ok, value or error) and close; an answer that cannot be pickled
    (a value, or an exception whose class does not pickle) becomes a RuntimeError that
    names it."""
    try:
        send.send(message)
    except (pickle.PicklingError, TypeError, AttributeError):
        failed = message[1] if not message[0] else None
        send.send((False, RuntimeError(f"{type(failed).__name__}: {failed}")))
    send.close()


def _stop_process(process: multiprocessing.process.BaseProcess | None) -> None:
    """Stop a child that is still running (this process gave up on it) and reap it."""
    if process is not None:
        if process.is_alive():
            process.terminate()
        process.join()


class Sink(Generic[T]):
    """Batches handed, in order, to ``handle`` in a forked child while this process
    goes on; ``close()`` waits until the child has handled them all and run ``done``.

    For work this process needs no answer from: the child writes, this one computes
    what to write next. Without ``forked`` (or fork, or a process to be had), ``put``
    simply calls ``handle`` here. A child that fails or dies has lost batches that
    cannot be put again: its error (or one saying it ended) is raised by ``close``,
    or by ``put`` once the child is gone.
    """

    def __init__(
        self, handle: Callable[[T], None], done: Callable[[], None], forked: bool = True
    ) -> None:
        self._handle, self._done = handle, done
        self._process: multiprocessing.process.BaseProcess | None = None
        self._send: Connection | None = None
        self._answer: Connection | None = None
        if forked and "fork" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("fork")
            receive, self._send = context.Pipe(duplex=False)
            self._answer, answer = context.Pipe(duplex=False)
            self._process = context.Process(
                target=_run_sink, args=(receive, answer, handle, done), daemon=True
            )
            try:
                self._process.start()
            except OSError:  # no process to be had (memory, limits): handle batches here
                for end in (receive, self._send, self._answer, answer):
                    end.close()
                self._process = self._send = self._answer = None
                return
            receive.close()  # the child's end: writes fail once the child is gone
            _widen(self._send)
            answer.close()

    def put(self, batch: T) -> None:
        """Hand ``batch`` over (block while the child is behind by a pipe's worth)."""
        if self._send is None:
            self._handle(batch)
            return
        try:
            self._send.send_bytes(pickle.dumps(batch, pickle.HIGHEST_PROTOCOL))
        except OSError:  # the child is gone: say why
            self._send.close()
            self._send = None
            self._raise_answer()

    def close(self) -> None:
        """Wait until every batch is handled and ``done`` has run; raise the child's
        error if it failed."""
        if self._process is None:
            self._done()
            return
        if self._send is not None:
            with contextlib.suppress(OSError):  # the child is gone: its answer says why
                self._send.send_bytes(b"")  # the end
            self._send.close()
            self._send = None
        self._raise_answer()

    def _raise_answer(self) -> None:
        """Take the child's answer, stop it, and raise unless it succeeded."""
        assert self._answer is not None and self._process is not None
        try:
            ok, error = self._answer.recv()
        except Exception:  # no answer (the child died), or one that cannot be read here
            ok, error = False, None
        self._stop()
        if not ok:
            raise error or RuntimeError("the writer process ended without finishing")

    def _stop(self) -> None:
        _stop_process(self._process)
        self._process = None
        for end in (self._send, self._answer):
            if end is not None:
                end.close()
        self._send = self._answer = None

    def __enter__(self) -> Sink[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop()  # after close(), nothing left; on an error, the child is stopped


#: A pipe's buffer asked for (Linux): a few batches, so neither side waits for the
#: other to take each one (the kernel holds it; a system may cap it lower).
_PIPE_BYTES = 1 << 20


def _widen(end: Connection) -> None:
    """Ask for a bigger pipe buffer behind ``end``, where the system allows it."""
    setsize = getattr(fcntl, "F_SETPIPE_SZ", None) if fcntl is not None else None
    if setsize is None:
        return
    with contextlib.suppress(OSError):  # above the system's limit: keep the default
        fcntl.fcntl(end.fileno(), setsize, _PIPE_BYTES)


def _run_sink(
    receive: Connection,
    answer: Connection,
    handle: Callable[[Any], None],
    done: Callable[[], None],
) -> None:
    """In the forked child: handle every batch, run ``done``, answer (True, None) or
    (False, error). After an error the batches still coming are read and dropped, so
    the parent, which may be writing one, never waits on a full pipe."""
    message: tuple[bool, BaseException | None] = (True, None)
    try:
        while data := receive.recv_bytes():
            if message[0]:
                try:
                    handle(pickle.loads(data))
                except Exception as error:  # sent to the parent, which raises it
                    message = (False, error)
    except EOFError:  # the parent gave up (it failed): nobody waits for an answer
        return
    if message[0]:
        try:
            done()
        except Exception as error:
            message = (False, error)
    _answer(answer, message)
