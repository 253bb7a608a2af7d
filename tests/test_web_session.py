import classify
from classify.corpus import read_corpus
from classify.web.archive import read_archive
from classify.web.session import AnnotationSession


def _session(tmp_path, model, seed_article, **kw):
    (tmp_path / "arch").mkdir(parents=True, exist_ok=True)
    (tmp_path / "arch" / "homs.txt").write_text(seed_article, encoding="utf-8")
    return AnnotationSession(read_archive(tmp_path / "arch"), tmp_path / "labels.tsv", model, **kw)


def test_uncertain_first_then_labels_file_is_a_corpus(tmp_path, model, seed_article):
    session = _session(tmp_path, model, seed_article, random_share=0.0, annotator="amal")
    first = session.next_sentence()
    assert first["pick"] == "uncertain" and first["id"] in session.by_id
    assert session.margin[first["id"]] == min(session.margin.values())
    assert session.next_sentence()["id"] == first["id"]  # shown again until decided (page reload)
    assert session.decide(first["id"], "label", "other") is not None
    second = session.next_sentence()
    session.decide(second["id"], "skip")
    third = session.next_sentence()
    session.decide(third["id"], "label", third["suggestion"])
    corpus = read_corpus(tmp_path / "labels.tsv")
    assert len(corpus) == 2 and corpus.column("doc") == ["homs", "homs"]
    progress = session.progress()
    assert progress["labelled"] == 2 and progress["skipped"] == 1 and progress["counts"]["other"] >= 1
    assert progress["agreement"] == (int(first["suggestion"] == "other") + 1) / 2


def test_undo_brings_the_sentence_back_and_restart_resumes(tmp_path, model, seed_article):
    session = _session(tmp_path, model, seed_article, random_share=0.0)
    first = session.next_sentence()
    session.decide(first["id"], "label", "military_movement")
    assert session.undo() == first["id"]
    again = session.next_sentence()
    assert again["id"] == first["id"] and again["pick"] == "undo"
    session.decide(again["id"], "label", "civilian_reaction")
    session.store.close()
    resumed = _session(tmp_path, model, seed_article, random_share=0.0)
    assert resumed.progress()["labelled"] == 1 and resumed.next_sentence()["id"] != first["id"]
    assert read_corpus(tmp_path / "labels.tsv").labels == ["civilian_reaction"]


def test_random_share_and_seed(tmp_path, model, seed_article):
    picks = []
    for run in range(2):
        session = _session(tmp_path / str(run), model, seed_article, random_share=1.0, seed=3)
        picks.append([session.next_sentence()["id"]])
        assert session.next_sentence()["pick"] == "random"
    assert picks[0] == picks[1]


def test_retraining_in_the_background_switches_the_model(tmp_path, model, seed_article):
    session = _session(tmp_path, model, seed_article, random_share=0.0)
    s = session.next_sentence()
    session.decide(s["id"], "label", "foreign_involvement")
    seen = []

    def small_train(corpus):
        seen.append(corpus)
        return classify.train(corpus.subset([i % 8 == 0 or i >= len(corpus) - 1 for i in range(len(corpus))]))

    assert session.retrain(train=small_train) is True
    import time

    for _ in range(600):
        if session.retraining["state"] != "running":
            break
        time.sleep(0.1)
    assert session.retraining["state"] == "done", session.retraining
    assert session.model_version == 2 and session.model is not model
    assert seen[0].texts[-1] == s["text"] and seen[0].labels[-1] == "foreign_involvement"


def test_retraining_failure_keeps_the_old_model(tmp_path, model, seed_article):
    session = _session(tmp_path, model, seed_article)

    def broken(corpus):
        raise RuntimeError("disk full")

    session.retrain(train=broken)
    import time

    for _ in range(100):
        if session.retraining["state"] != "running":
            break
        time.sleep(0.05)
    assert session.retraining["state"] == "failed" and "disk full" in session.retraining["error"]
    assert session.model is model and session.model_version == 1
