import pytest

from classify.errors import InputError
from classify.web.archive import read_archive


def test_a_file_of_articles_separated_by_blank_lines(tmp_path):
    path = tmp_path / "archive.txt"
    path.write_text("تقدمت القوات نحو المدينة. وخرج السكان.\n\n\nأعلنت الأمم المتحدة إرسال مساعدات.\n", encoding="utf-8")
    rows = read_archive(path)
    assert [(r["doc"], r["position"]) for r in rows] == [("archive#1", 0), ("archive#1", 1), ("archive#2", 0)]


def test_a_folder_of_articles(tmp_path, seed_article):
    (tmp_path / "sub").mkdir()
    (tmp_path / "one.txt").write_text(seed_article, encoding="utf-8")
    (tmp_path / "sub" / "two.txt").write_text("قصف مدفعي على الحي.", encoding="utf-8")
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    docs = {r["doc"] for r in read_archive(tmp_path)}
    assert docs == {"one", "sub/two"}


@pytest.mark.parametrize("content, fragment", [(b"\xd9\x82\xd8\n\xff\xfe", "not UTF-8"), (b"\n \n", "no sentences")])
def test_bad_archives_are_one_line_errors(tmp_path, content, fragment):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=fragment) as err:
        read_archive(path)
    assert str(err.value).startswith(str(path))


def test_empty_folder_and_missing_path(tmp_path):
    with pytest.raises(InputError, match="no .txt articles"):
        read_archive(tmp_path)
    with pytest.raises(InputError, match="no such text file"):
        read_archive(tmp_path / "missing.txt")
