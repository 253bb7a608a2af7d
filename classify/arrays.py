"""The ``.npz`` member of a model file, read without numpy and without pickle.

A one-sentence ``classify predict`` should not pay numpy's import (a third of its time
here): the predictor's arrays are read straight from the ``.npy`` files inside the
archive. Only the dtypes a predictor stores are accepted (little-endian float32,
float64, int64, bool and fixed-width unicode); anything else, object arrays included,
is refused, which is what ``numpy.load(..., allow_pickle=False)`` would do. Numeric
arrays stay as bytes until asked for: :meth:`Array.view` gives a flat ``memoryview``
for pure-Python arithmetic, :meth:`Array.numpy` the numpy array.
"""

import ast
import io
import struct
import sys
import zipfile

_MAGIC = b"\x93NUMPY"
#: dtype descr -> (struct/memoryview format, item size)
_NUMERIC = {"<f4": ("f", 4), "<f8": ("d", 8), "<i8": ("q", 8), "|b1": ("?", 1)}
_LITTLE = sys.byteorder == "little"


class Array:
    """One array of a ``.npz`` file: its dtype descr, shape, order and raw bytes."""

    __slots__ = ("descr", "shape", "fortran", "raw")

    def __init__(self, descr, shape, fortran, raw):
        self.descr, self.shape, self.fortran, self.raw = descr, shape, fortran, raw

    @property
    def size(self):
        n = 1
        for d in self.shape:
            n *= d
        return n

    def view(self):
        """A flat memoryview of a numeric array, in storage order (C, or F if ``fortran``)."""
        fmt = _NUMERIC[self.descr][0]
        if not _LITTLE and fmt != "?":
            raise ValueError("a big-endian machine needs numpy to read the model")
        return memoryview(self.raw).cast(fmt)

    def tolist(self):
        """The elements as Python objects, flat, in storage order; a scalar as itself."""
        if self.descr.startswith("<U"):
            width = int(self.descr[2:]) * 4
            items = [self.raw[i: i + width].decode("utf-32-le").rstrip("\x00")
                     for i in range(0, len(self.raw), width)] if width else [""] * self.size
        else:
            items = self.view().tolist()
        return items[0] if self.shape == () else items

    def numpy(self):
        import numpy as np

        if self.descr.startswith("<U"):
            return np.array(self.tolist(), dtype=self.descr).reshape(self.shape)
        flat = np.frombuffer(self.raw, dtype=self.descr)
        return flat.reshape(self.shape, order="F" if self.fortran else "C")


def _parse_npy(data, name):
    if data[:6] != _MAGIC or len(data) < 10:
        raise ValueError(f"{name}: not an .npy array")
    major = data[6]
    if major == 1:
        (length,), start = struct.unpack("<H", data[8:10]), 10
    elif major in (2, 3):
        (length,), start = struct.unpack("<I", data[8:12]), 12
    else:
        raise ValueError(f"{name}: unknown .npy version {major}")
    try:
        header = ast.literal_eval(data[start: start + length].decode("latin-1" if major < 3 else "utf-8"))
        descr, fortran, shape = header["descr"], header["fortran_order"], tuple(header["shape"])
    except (ValueError, SyntaxError, KeyError, TypeError, MemoryError, RecursionError):
        raise ValueError(f"{name}: unreadable .npy header") from None
    if not isinstance(descr, str) or not isinstance(fortran, bool) or not all(
            isinstance(d, int) and d >= 0 for d in shape):
        raise ValueError(f"{name}: unreadable .npy header")
    if descr in _NUMERIC:
        itemsize = _NUMERIC[descr][1]
    elif descr.startswith("<U") and descr[2:].isdigit():
        itemsize = 4 * int(descr[2:])
    else:
        raise ValueError(f"{name}: dtype {descr!r} is not allowed in a model file")
    raw = data[start + length:]
    count = 1
    for d in shape:
        count *= d
    if len(raw) != count * itemsize:
        raise ValueError(f"{name}: {len(raw)} bytes for shape {shape} of {descr}")
    return Array(descr, shape, fortran, raw)


def read_npz(data):
    """``{name: Array}`` of the ``.npz`` archive in ``data`` (bytes)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
        out = {}
        for member in names:
            if not member.endswith(".npy"):
                raise ValueError(f"unexpected member {member!r}")
            out[member[:-4]] = _parse_npy(archive.read(member), member)
    except (zipfile.BadZipFile, EOFError) as err:
        raise ValueError(f"not an .npz archive ({err})") from None
    return out
