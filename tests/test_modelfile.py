import hashlib
import io
import json
import os
import zipfile

import pytest
import skops.io as sio
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

import classify
from classify import modelfile
from classify.errors import InputError


def rewrite(src, dst, card_update=None, blob=None):
    with zipfile.ZipFile(src) as zf:
        card = json.loads(zf.read("card.json"))
        old_blob = zf.read("pipeline.skops")
    card.update(card_update or {})
    with zipfile.ZipFile(dst, "w") as zf:
        zf.writestr("card.json", json.dumps(card))
        zf.writestr("pipeline.skops", old_blob if blob is None else blob)
    return dst


def test_round_trip_identical_predictions(model, model_path, corpus):
    loaded = classify.load(model_path)
    texts = corpus.texts[:300]
    assert loaded.predict(texts) == model.predict(texts)
    assert (loaded.scores(texts) == model.scores(texts)).all()
    assert loaded.card["labels"] == model.labels
    assert classify.read_card(model_path)["corpus"]["sha256"] == model.card["corpus"]["sha256"]


def test_file_is_a_zip_with_card_and_skops(model_path):
    with zipfile.ZipFile(model_path) as zf:
        assert sorted(zf.namelist()) == ["card.json", "pipeline.skops"]
        assert sio.get_untrusted_types(data=zf.read("pipeline.skops"))  # our own types need trust
        assert "pickle" not in zf.read("card.json").decode()


class Bomb:
    """Loading this would write a file; it must never be constructed from a model file."""

    def __init__(self, path):
        self.path = path

    def __setstate__(self, state):
        open(state["path"], "w").write("exploded")
        self.__dict__.update(state)


def test_untrusted_types_refused_without_running_code(model_path, tmp_path):
    sentinel = tmp_path / "sentinel"
    evil = Pipeline([("run", FunctionTransformer(os.system)), ("bomb", FunctionTransformer(Bomb(str(sentinel))))])
    blob = sio.dumps(evil)
    # The checksum matches, so only the type allow-list stands in the way.
    target = rewrite(model_path, tmp_path / "evil.model", {"pipeline_sha256": hashlib.sha256(blob).hexdigest()}, blob)
    with pytest.raises(InputError, match="refusing to load untrusted type") as info:
        classify.load(target)
    assert "posix.system" in str(info.value) or "os.system" in str(info.value)
    assert not sentinel.exists()


def test_truncated_and_garbage_files(model_path, tmp_path):
    data = model_path.read_bytes()
    (tmp_path / "half.model").write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="corrupted or truncated"):
        classify.load(tmp_path / "half.model")
    (tmp_path / "junk.model").write_bytes(b"\x00not a zip at all")
    with pytest.raises(InputError, match="corrupted or truncated"):
        classify.load(tmp_path / "junk.model")
    with pytest.raises(InputError, match="no such model file"):
        classify.load(tmp_path / "missing.model")


def test_tampered_pipeline_detected(model_path, tmp_path):
    with zipfile.ZipFile(model_path) as zf:
        blob = bytearray(zf.read("pipeline.skops"))
    blob[len(blob) // 2] ^= 0xFF
    with pytest.raises(InputError, match="checksum mismatch"):
        classify.load(rewrite(model_path, tmp_path / "t.model", blob=bytes(blob)))


def test_incompatible_version_refused(model_path, tmp_path):
    with pytest.raises(InputError, match="made by classify 9.0.0, incompatible"):
        classify.load(rewrite(model_path, tmp_path / "v.model", {"package_version": "9.0.0"}))
    with pytest.raises(InputError, match="format 2 is not supported"):
        classify.load(rewrite(model_path, tmp_path / "f.model", {"format_version": 2}))


def test_other_label_set_refused(model_path, tmp_path):
    with pytest.raises(InputError, match="label set"):
        classify.load(rewrite(model_path, tmp_path / "l.model", {"labels": ["positive", "negative"]}))


def test_atomic_save_keeps_old_file_on_crash(model, model_path, tmp_path, monkeypatch):
    target = tmp_path / "keep.model"
    target.write_bytes(model_path.read_bytes())
    before = target.read_bytes()

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        classify.save(model, target)
    monkeypatch.undo()
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["keep.model"]


def test_not_a_model_zip(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "hi")
    (tmp_path / "x.model").write_bytes(buf.getvalue())
    with pytest.raises(InputError, match="not a classify model file"):
        modelfile.load(tmp_path / "x.model")
