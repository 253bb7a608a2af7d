"""Writing files so that an interrupted run never leaves a half-written one behind."""

import os
import tempfile
from pathlib import Path


def atomic_write(path, data):
    """Write ``data`` (bytes) to ``path`` via a temporary file and ``os.replace``.

    Readers see either the old file or the complete new one; a crash or Ctrl-C in
    the middle leaves the old file as it was and removes the temporary file.
    """
    from .errors import InputError

    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as err:
        raise InputError(f"cannot write here: {err.strerror or err}", path) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def atomic_write_text(path, text):
    atomic_write(path, text.encode("utf-8"))
