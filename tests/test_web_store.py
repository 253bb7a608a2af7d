import sqlite3

from classify.web.store import AnnotationStore

ROWS = [{"doc": "a", "position": i, "text": f"جملة {i}"} for i in range(3)]


def test_decisions_undo_and_history(tmp_path):
    store = AnnotationStore(tmp_path / "d.sqlite")
    sentences = store.add_sentences(ROWS)
    ids = [s["id"] for s in sentences]
    assert store.record(ids[0], "label", "other", "amal", "other", {"other": 0.9}, "uncertain") is not None
    assert store.record(ids[0], "label", "other", "amal") is None  # one decision in force per sentence
    store.record(ids[1], "skip", None, "amal")
    assert store.decided() == {ids[0]: ("label", "other"), ids[1]: ("skip", None)}
    assert store.undo() == ids[1] and store.undo() == ids[0] and store.undo() is None
    assert store.decided() == {} and store.labelled() == []
    with sqlite3.connect(tmp_path / "d.sqlite") as db:  # undo keeps the history
        assert db.execute("SELECT count(*) FROM decisions WHERE undone_at IS NOT NULL").fetchone() == (2,)


def test_reopening_resumes_and_adding_sentences_again_keeps_ids(tmp_path):
    store = AnnotationStore(tmp_path / "d.sqlite")
    ids = [s["id"] for s in store.add_sentences(ROWS)]
    store.record(ids[2], "label", "military_movement", "amal", "other", {"other": 0.5}, "random")
    store.close()
    again = AnnotationStore(tmp_path / "d.sqlite")
    assert [s["id"] for s in again.add_sentences(ROWS)] == ids
    assert again.labelled() == [("a", 2, "جملة 2", "military_movement")]
    (item,) = again.history()
    assert item["annotator"] == "amal" and item["scores"] == {"other": 0.5} and item["pick"] == "random"
