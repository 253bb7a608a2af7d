import os

import pytest

from classify.atomic import atomic_write
from classify.errors import InputError


def test_new_file_mode_from_umask_and_replaced_file_keeps_its_mode(tmp_path):
    old = os.umask(0o027)
    try:
        atomic_write(tmp_path / "a", b"x")
    finally:
        os.umask(old)
    assert (tmp_path / "a").stat().st_mode & 0o777 == 0o640
    os.chmod(tmp_path / "a", 0o604)
    atomic_write(tmp_path / "a", b"y")
    assert (tmp_path / "a").stat().st_mode & 0o777 == 0o604 and (tmp_path / "a").read_bytes() == b"y"


def test_directory_and_unwritable_targets_are_input_errors(tmp_path):
    with pytest.raises(InputError, match="is a directory"):
        atomic_write(tmp_path, b"x")
    (tmp_path / "f").write_text("file")
    with pytest.raises(InputError, match="cannot write here"):
        atomic_write(tmp_path / "f" / "inside", b"x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f"]
