import json
import os
import subprocess
import sys

import pytest

from classify.cli import main
from classify.labels import LABELS


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_predict_jsonl_shape(capsys, model_path):
    code, out, err = run(capsys, "predict", "--model", str(model_path), "--format", "jsonl",
                         "تقدمت القوات نحو المدينة. وخرج السكان في مظاهرات.")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == 2
    for row in rows:
        assert set(row) == {"text", "label", "score", "scores"}
        assert row["label"] in LABELS and set(row["scores"]) <= set(LABELS)
        assert row["score"] == max(row["scores"].values())


def test_predict_file_table_and_explain(capsys, model_path, tmp_path, seed_article):
    article = tmp_path / "a.txt"
    article.write_text(seed_article, encoding="utf-8")
    code, out, _ = run(capsys, "predict", "--model", str(model_path), "--file", str(article))
    assert code == 0 and len(out.splitlines()) == 21
    code, out, _ = run(capsys, "predict", "--model", str(model_path), "--file", str(article), "--format", "tsv",
                       "--explain", "3")
    lines = out.splitlines()
    assert lines[0].split("\t") == ["n", "line", "label", "score", "flag", "explanation", "text"]
    assert len(lines) == 22 and all(len(l.split("\t")) == 7 for l in lines[1:])


def test_predict_awkward_input(capsys, model_path, tmp_path):
    messy = tmp_path / "messy.txt"
    messy.write_bytes(b"\n   \n\xff\xfe\x00binary\x00junk\nEnglish only here\n" + "قصف. ".encode() * 10 + b"\n")
    code, out, err = run(capsys, "predict", "--model", str(model_path), "--file", str(messy), "--format", "jsonl")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == 12
    assert "invalid_utf8" in rows[0]["flag"] and rows[1]["flag"] == "non_arabic"
    assert "skipped 2 empty line(s)" in err


def test_predict_very_long_line(capsys, model_path, tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("قصف مدفعي على الاحياء الشرقية " * 200_000, encoding="utf-8")  # ~6 MB, one line
    code, out, _ = run(capsys, "predict", "--model", str(model_path), "--file", str(big), "--format", "jsonl")
    row = json.loads(out)
    assert code == 0 and row["flag"] == "truncated" and len(row["text"]) > 5_000_000


def test_evaluate_json_shape(capsys, model_path, small_corpus, tmp_path):
    code, out, _ = run(capsys, "evaluate", "--model", str(model_path), "--corpus", small_corpus.path,
                       "--split", "test", "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert {"accuracy", "macro_f1", "per_class", "confusion"} <= set(report)
    for label, c in report["per_class"].items():
        assert set(c) == {"precision", "recall", "f1", "support"}
        assert set(report["confusion"][label]) == set(report["per_class"])


def test_train_writes_model_and_prints_metrics(capsys, tmp_path, small_corpus):
    sub = tmp_path / "sub.tsv"
    from classify.corpus import write_corpus

    write_corpus(small_corpus, sub)
    target = tmp_path / "m.model"
    code, out, err = run(capsys, "train", "--corpus", str(sub), "--classifier", "complement_nb", "--model", str(target))
    assert code == 0 and target.exists()
    assert "macro-F1" in out and "trained complement_nb" in err


@pytest.mark.parametrize(
    "argv, fragment",
    [
        (["train", "--corpus", "{bad}", "--model", "{out}"], "unknown label 'militray'"),
        (["evaluate", "--model", "{missing}", "--corpus", "{bad}"], "unknown label"),
        (["predict", "--model", "{missing}", "نص"], "no such model file"),
        (["predict", "--model", "{model}", "--file", "{missing}"], "no such file"),
        (["train", "--classifier", "bert"], "invalid choice"),
        (["predict", "--jobs", "0", "نص"], "--jobs takes a number"),
    ],
)
def test_bad_input_exit_2_one_line_nothing_written(capsys, tmp_path, model_path, argv, fragment):
    bad = tmp_path / "bad.tsv"
    bad.write_text("text\tlabel\nنص\tmilitray\n", encoding="utf-8")
    subs = {"{bad}": str(bad), "{out}": str(tmp_path / "out.model"), "{missing}": str(tmp_path / "missing"),
            "{model}": str(model_path)}
    argv = [subs.get(a, a) for a in argv]
    try:
        code = main(argv)
    except SystemExit as exit_:  # argparse usage errors
        code = exit_.code
    out, err = capsys.readouterr()
    assert code == 2
    assert fragment in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not (tmp_path / "out.model").exists()


def test_subprocess_exit_codes_and_no_traceback(tmp_path, model_path):
    env = dict(os.environ, CLASSIFY_MODEL=str(model_path))
    bad = tmp_path / "bad.csv"
    bad.write_text("text,label\nنص,other\n,other\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "classify", "evaluate", "--corpus", str(bad)],
                         capture_output=True, text=True, env=env)
    assert out.returncode == 2
    assert out.stderr.strip() == f"classify: error: {bad}:3: empty text"
    ok = subprocess.run([sys.executable, "-m", "classify", "predict", "--format", "jsonl"],
                        input="انسحبت القوات من البلدة.\n", capture_output=True, text=True, env=env)
    assert ok.returncode == 0 and json.loads(ok.stdout)["label"] in LABELS


def test_corpus_check_command(capsys, tmp_path):
    path = tmp_path / "c.tsv"
    path.write_text("text\tlabel\tsplit\tdoc\nقصف على الحي\tmilitary_movement\ttrain\ta\n"
                    "قصف على الحي\tmilitary_movement\ttest\tb\n", encoding="utf-8")
    code, out, _ = run(capsys, "corpus", "check", str(path))
    assert code == 2 and "duplicate" in out and "leakage" in out


def test_unwritable_model_path_is_bad_input(capsys, tmp_path, small_corpus):
    from classify.corpus import write_corpus

    sub = tmp_path / "sub.tsv"
    write_corpus(small_corpus, sub)
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code, _, err = run(capsys, "train", "--corpus", str(sub), "--model", str(blocker / "m.model"))
    assert code == 2 and "cannot write here" in err and len(err.strip().splitlines()) == 1
