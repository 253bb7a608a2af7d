import io
import zipfile

import numpy as np
import pytest

from classify.arrays import read_npz


def _npz(**arrays):
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def test_reads_what_numpy_wrote():
    c = np.arange(12, dtype=np.float32).reshape(3, 4)
    data = _npz(c=c, f=c.T, i=np.int64(7), b=np.bool_(True), d=np.array([0.5, -1.0]),
                s=np.array(["military_movement", "other", ""]), e=np.array([], dtype=np.int64))
    z = read_npz(data)
    np.testing.assert_array_equal(z["c"].numpy(), c)
    np.testing.assert_array_equal(z["f"].numpy(), c.T)
    assert z["f"].fortran and z["f"].view().tolist() == c.ravel().tolist()
    assert z["i"].tolist() == 7 and z["b"].tolist() is True and z["d"].tolist() == [0.5, -1.0]
    assert z["s"].tolist() == ["military_movement", "other", ""] and z["e"].tolist() == []


@pytest.mark.parametrize("array", [np.array([{"a": 1}], dtype=object), np.arange(3, dtype=">f4"),
                                   np.arange(3, dtype=np.int16), np.array([b"x"])])
def test_refuses_dtypes_a_model_never_stores(array):
    with pytest.raises(ValueError, match="not allowed"):
        read_npz(_npz(x=array))


def test_damaged_archives_are_value_errors():
    good = _npz(x=np.arange(4, dtype=np.float32))
    with pytest.raises(ValueError, match="not an .npz"):
        read_npz(good[:40])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("x.npy", good[:10] + b"garbage")
        z.writestr("y.txt", b"")
    with pytest.raises(ValueError):
        read_npz(buffer.getvalue())
    short = io.BytesIO()
    with zipfile.ZipFile(short, "w") as z:
        with zipfile.ZipFile(io.BytesIO(good)) as src:
            z.writestr("x.npy", src.read("x.npy")[:-4])  # one float missing
    with pytest.raises(ValueError, match="bytes for shape"):
        read_npz(short.getvalue())
