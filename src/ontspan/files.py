"""Files written whole or not at all: the old file stays untouched if the process dies.

A neutral helper (no database, no audio): every layer that writes a file the person named
or keeps uses it."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from ontspan.core.errors import PhrasedError


def check_output(target: Path) -> None:
    """Refuse, before any work, a file a person asked for that could never be written.

    Probes with a real file: os.access says yes to root on read-only places such as /sys."""
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise PhrasedError("error.file.is_folder", path=target)
    if not folder.is_dir():
        key = "error.output.not_folder" if folder.exists() else "error.output.no_folder"
        raise PhrasedError(key, path=target, folder=folder)
    try:
        fd, probe = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=folder)
    except OSError:
        raise PhrasedError("error.output.not_writable", path=target, folder=folder) from None
    os.close(fd)
    os.unlink(probe)


LOW_SPACE = 1 << 20  # under a megabyte free, a failed write is a full disk


def nearly_full(folder: Path) -> bool:
    """Whether a write that failed without saying why in `folder` is best called a full disk
    (libraries such as SQLite and libsndfile often report only an I/O error)."""
    try:
        return shutil.disk_usage(folder).free < LOW_SPACE
    except OSError:
        return False


# The temporary file carries the writer's process id, so a later write can tell the leftovers
# of a killed one (a render stopped with kill -9 leaves megabytes) from a write still running.
_PARTIAL = re.compile(r"\..+\.ontspan-(\d+)-[^.]+\.partial")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's process: alive
        return True
    return True


def clean_partials(folder: Path) -> int:
    """Remove what killed writers left in `folder`; the number removed."""
    removed = 0
    with suppress(OSError):
        for entry in folder.iterdir():
            found = _PARTIAL.fullmatch(entry.name)
            if found and not _alive(int(found.group(1))):
                with suppress(OSError):
                    entry.unlink()
                    removed += 1
    return removed


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yields a temporary path beside `target`; renames it into place only on success.

    An OSError names `target`, never the temporary file the person did not ask for."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        clean_partials(target.parent)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.ontspan-{os.getpid()}-",
                                   suffix=".partial", dir=target.parent)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(target)) from None
    os.close(fd)
    tmp_path = Path(tmp)
    umask = os.umask(0)
    os.umask(umask)
    tmp_path.chmod(0o666 & ~umask)  # mkstemp makes 0600; the finished file gets normal rights
    try:
        yield tmp_path
        with open(tmp_path, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp_path, target)
    except OSError as exc:
        # A failed write (a full disk) names no file, a failed rename the temporary one:
        # either way the person reads about the file they asked for.
        if exc.filename is None or str(tmp_path) in (exc.filename, exc.filename2):
            raise OSError(exc.errno, exc.strerror, str(target)) from None
        raise
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_text_atomic(target: Path, text: str) -> None:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
