"""The corpus error contract: each bad input gives one InputError naming file and line."""

import json

import pytest

from classify.corpus import check_trainable, read_corpus, write_corpus
from classify.errors import InputError

GOOD_TSV = "id\ttext\tlabel\tdoc\n1\tتقدمت القوات\tmilitary_movement\td1\n2\tفر السكان\tcivilian_reaction\td1\n"


def write(tmp_path, name, content):
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def error_of(path, **kw):
    with pytest.raises(InputError) as info:
        read_corpus(path, **kw)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(str(path))
    return info.value


def test_reads_tsv_with_extra_columns(tmp_path):
    c = read_corpus(write(tmp_path, "c.tsv", GOOD_TSV))
    assert c.texts == ["تقدمت القوات", "فر السكان"]
    assert c.labels == ["military_movement", "civilian_reaction"]
    assert c.column("doc") == ["d1", "d1"] and c.lines == [2, 3]
    assert len(c.sha256) == 64


def test_reads_csv_with_quoted_newlines_and_tabs(tmp_path):
    content = 'text,label\n"سطر اول\nوسطر\tثان",other\n"قال ""لن نغادر""",civilian_reaction\n'
    c = read_corpus(write(tmp_path, "c.csv", content))
    assert c.texts == ["سطر اول\nوسطر\tثان", 'قال "لن نغادر"']


def test_reads_jsonl(tmp_path):
    lines = [{"text": "قصف مدفعي", "label": "military_movement", "id": 1}, {"text": "طقس حار", "label": "other"}]
    c = read_corpus(write(tmp_path, "c.jsonl", "\n".join(json.dumps(x, ensure_ascii=False) for x in lines)))
    assert c.labels == ["military_movement", "other"] and c.rows[0]["id"] == 1


def test_bom_and_crlf_accepted(tmp_path):
    c = read_corpus(write(tmp_path, "c.tsv", b"\xef\xbb\xbf" + GOOD_TSV.replace("\n", "\r\n").encode()))
    assert c.columns[:3] == ["id", "text", "label"]
    assert c.texts[1] == "فر السكان"


def test_tsv_keeps_quotes_verbatim(tmp_path):
    c = read_corpus(write(tmp_path, "c.tsv", 'text\tlabel\n"سقطت" قال المصدر\tother\n'))
    assert c.texts == ['"سقطت" قال المصدر']


@pytest.mark.parametrize(
    "name, content, line, fragment",
    [
        ("missing.tsv", "text\tlab\nنص\tother\n", 1, "missing column 'label'"),
        ("case.tsv", "Text\tlabel\nنص\tother\n", 1, "found 'Text'"),
        ("unknown.tsv", "text\tlabel\nنص\tother\nنص اخر\tmilitary-movement\n", 3, "did you mean 'military_movement'"),
        ("empty_text.tsv", "text\tlabel\nنص\tother\n  \tother\n", 3, "empty text"),
        ("tabs.tsv", "text\tlabel\nنص فيه\tتاب\tother\n", 2, "tab inside the text"),
        ("dup.tsv", "id\ttext\tlabel\n7\tنص\tother\n7\tنص اخر\tother\n", 3, "duplicate id '7' (first on line 2)"),
        ("empty.tsv", "", 1, "the file is empty"),
        ("header_only.tsv", "text\tlabel\n", 1, "no rows"),
        ("badjson.jsonl", '{"text": "نص", "label": "other"}\n{"text": "نص"\n', 2, "invalid JSON"),
        ("notobj.jsonl", '["نص", "other"]\n', 1, "expected a JSON object"),
        ("badcsv.csv", 'text,label\n"نص غير مغلق,other\n', 2, "malformed CSV"),
        ("short.csv", "text,label\nنص\n", 2, "expected 2 fields"),
    ],
)
def test_error_contract(tmp_path, name, content, line, fragment):
    err = error_of(write(tmp_path, name, content))
    assert err.line == line
    assert fragment in str(err)


def test_invalid_utf8_names_the_line(tmp_path):
    err = error_of(write(tmp_path, "latin1.tsv", "text\tlabel\nok\tother\n".encode() + "caf\xe9\tother\n".encode("latin-1")))
    assert err.line == 3 and "invalid UTF-8" in str(err)


def test_missing_file_and_unknown_extension(tmp_path):
    assert "no such file" in str(error_of(tmp_path / "nope.tsv"))
    assert "cannot tell the format" in str(error_of(write(tmp_path, "c.xlsx", "x")))


def test_trainability_checks(tmp_path):
    single = read_corpus(write(tmp_path, "one.tsv", "text\tlabel\nا ب\tother\nج د\tother\n"))
    with pytest.raises(InputError, match="at least two labels"):
        check_trainable(single)
    rare = read_corpus(write(tmp_path, "rare.tsv", "text\tlabel\nا ب\tother\nج د\tother\nه و\tmilitary_movement\n"))
    with pytest.raises(InputError, match="'military_movement' has 1 example") as info:
        check_trainable(rare)
    assert info.value.line == 4


def test_write_round_trip_and_refuses_tabs(tmp_path):
    c = read_corpus(write(tmp_path, "c.tsv", GOOD_TSV))
    out = tmp_path / "out.tsv"
    write_corpus(c, out)
    assert read_corpus(out).rows == c.rows
    c.rows[0]["text"] = "فيه\tتاب"
    with pytest.raises(InputError, match="tab or line break"):
        write_corpus(c, tmp_path / "bad.tsv")
    assert not (tmp_path / "bad.tsv").exists()


def test_unicode_line_separators_stay_inside_text(tmp_path):
    c = read_corpus(write(tmp_path, "c.tsv", "text\tlabel\nسطر\u2028واحد\x85ونص\tother\n"))
    assert c.texts == ["سطر\u2028واحد\x85ونص"]


def test_invalid_utf8_in_csv_and_jsonl(tmp_path):
    err = error_of(write(tmp_path, "bad.csv", "text,label\nok,other\n".encode() + b"caf\xe9,other\n"))
    assert err.line == 3 and "invalid UTF-8" in str(err)
    err = error_of(write(tmp_path, "bad.jsonl", b'{"text": "ok", "label": "other"}\n{"text": "caf\xe9"}\n'))
    assert err.line == 2 and "invalid UTF-8" in str(err)


@pytest.mark.parametrize("value", ["dev", "Test", "test ", ""])
def test_split_values_other_than_train_or_test_refused_with_the_line(tmp_path, value):
    path = tmp_path / "s.tsv"
    path.write_text(f"text\tlabel\tsplit\nقصف\tother\ttrain\nفر السكان\tother\t{value}\n", encoding="utf-8")
    with pytest.raises(InputError, match="split must be one of train, test") as info:
        read_corpus(path)
    assert info.value.line == 3


@pytest.mark.parametrize(
    "line, fragment",
    [
        ('{"text": "قصف", "label": "other", "label": "military_movement"}', "appears twice"),
        ('{"text": "قصف", "label": "other", "n": ' + "[" * 100_000 + "]" * 100_000 + "}", "JSON"),
        ('{"text": "قصف", "label": "other", "n": ' + "9" * 5000 + "}", "JSON"),
        ('{"text": "قصف", "label": "other", "split": ["train"]}', "split must be one of"),
    ],
)
def test_hostile_jsonl_is_one_input_error(tmp_path, line, fragment):
    path = tmp_path / "h.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=fragment) as info:
        read_corpus(path)
    assert info.value.line == 1
