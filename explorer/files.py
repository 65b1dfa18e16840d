"""User files written safely: one locked, atomic read-modify-write for all of them.

`locked_update(path, parse, dump, change)` holds `<folder>/.<name>.lock` (an exclusive lock
that other processes respect), reads the file, applies the change, writes the result to a
temporary file in the same folder, fsyncs the file and the folder, and renames it over the old
one. Readers see the old file or the new one, never half of one; two processes changing the
file at once both keep their change; a file that does not parse is reported (by `parse`) and
left as it is.

The lock is `fcntl.flock` on POSIX and `msvcrt.locking` on Windows (no third-party package:
importing `filelock` 4 took 47 ms, and the app imports this module to save a search).

A top-level module, not `store/files.py` as issue 13 sketched it: the index (its manifest and
writer lock), the curated entities and the kept quotes write files through it, and the layer
rules (tests/layers.py) let those packages import only the packages before them and the
top-level modules.
"""

from __future__ import annotations

import os
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, TypeVar

from explorer.errors import DataFileError, WriteError

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None
try:  # Windows
    import msvcrt
except ImportError:
    msvcrt = None

T = TypeVar("T")
POLL = 0.05          # seconds between tries while waiting for a lock held elsewhere


class FileLock:
    """An exclusive lock held through a lock file, across processes and threads (each holder
    opens the file itself, so two threads of one process exclude each other too). The lock
    goes with the process: a killed holder never leaves it taken."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._fd: int | None = None

    def acquire(self, blocking: bool = True) -> bool:
        """Take the lock (waiting for it unless `blocking` is False); False when it is held
        elsewhere and `blocking` is False. OSError when the lock file cannot be created."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            while not _try_lock(fd):
                if not blocking:
                    os.close(fd)
                    return False
                time.sleep(POLL) if fcntl is None else _wait_lock(fd)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        return True

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            _unlock(fd)
        finally:
            os.close(fd)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def __enter__(self) -> "FileLock":
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def _try_lock(fd: int) -> bool:
    if fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True
    if msvcrt is not None:  # pragma: no cover - Windows
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    return True  # pragma: no cover - no locking on this system: writes stay atomic


def _wait_lock(fd: int) -> None:
    fcntl.flock(fd, fcntl.LOCK_EX)          # blocks until the holder lets go


def _unlock(fd: int) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_UN)
    elif msvcrt is not None:  # pragma: no cover - Windows
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)


def lock_path(path: Path) -> Path:
    """The lock file that guards `path`: `.<name>.lock` beside it."""
    path = Path(path)
    return path.with_name(f".{path.name}.lock")


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the lock of the user file `path` (its folder made first) for a read-modify-write
    written in a `with` block; an OSError (a folder that is a file, read-only, full) becomes
    one DataFileError line naming the file. `locked_update` is the same as one call."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(lock_path(path)):
            yield
    except WriteError:
        raise                           # the file named, and what stopped the write
    except OSError as exc:
        raise DataFileError(f"{path}: cannot save: {exc.strerror or exc}") from None


def locked_update(path: Path, parse: Callable[[Path], T], dump: Callable[[T], str],
                  change: Callable[[T], T]) -> T:
    """Read `path` with `parse(path)` (which handles a missing file and raises one line for a
    corrupt one), apply `change` to what it read, and write `dump(result)` atomically, all
    under the file's lock; nothing is written when the text would not change. Returns the
    result. An OSError (a folder that is a file, read-only, full) becomes one DataFileError
    line naming the file; the old file is left as it was."""
    with locked(path):
        value = change(parse(path))           # a corrupt file stops here: nothing written
        text = dump(value)
        try:
            unchanged = Path(path).read_text(encoding="utf-8") == text
        except (OSError, UnicodeDecodeError):
            unchanged = False
        if not unchanged:
            atomic_write_text(path, text)
        return value


def atomic_write_text(path: Path, text: str, *, durable: bool = True) -> None:
    """Write text so that readers see the old file or the new one, never half of one, and so
    that the new one is on disk when this returns (file and folder fsynced; `durable=False`
    leaves that to one sync of many files by the caller). A failed write (a full disk, a
    read-only folder) is a WriteError naming the file; the old file stays."""
    if not isinstance(text, str):
        raise TypeError(f"{path}: text to write must be str, not {type(text).__name__}")
    atomic_write_bytes(path, text.encode("utf-8"), durable=durable)


def atomic_write_bytes(path: Path, data: bytes, *, durable: bool = True) -> None:
    """`atomic_write_text` for bytes (the saved tagger, explorer/entities/saved.py)."""
    path = Path(path)
    try:
        _atomic_write(path, data, durable)
    except WriteError:
        raise
    except OSError as exc:
        raise WriteError(path, exc) from None


def _atomic_write(path: Path, data: bytes, durable: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file 0600: keep the old file's mode, or the one the umask gives.
        try:
            mode = path.stat().st_mode & 0o777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    if durable:
        fsync_folder(path.parent)


def fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (POSIX; a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
