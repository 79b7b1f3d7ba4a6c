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

import multiprocessing
import pickle
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

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
            self._process = context.Process(  # type: ignore[attr-defined]
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
        if self._process is not None:
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()
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
    try:
        send.send(message)
    except (pickle.PicklingError, TypeError, AttributeError):
        failed = message[1] if not message[0] else None
        send.send((False, RuntimeError(f"{type(failed).__name__}: {failed}")))
    send.close()
