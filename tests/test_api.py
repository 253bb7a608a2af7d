import pytest

import classify
from classify.api import split_corpus
from classify.corpus import Corpus
from classify.models import DEFAULT_FEATURES


def test_train_card_has_what_a_reader_needs(model, small_corpus):
    card = model.card
    assert card["package_version"] == classify.__version__
    assert card["label_set"] == list(classify.LABELS)
    assert card["corpus"]["sha256"] == small_corpus.sha256 and len(card["corpus"]["sha256"]) == 64
    assert card["corpus"]["sentences"] == len(small_corpus)
    assert card["pipeline"]["features"]["char_ngram_range"] == list(DEFAULT_FEATURES["char_ngram_range"])
    assert 0.5 < card["metrics"]["test"]["macro_f1"] <= 1.0
    assert card["created"].endswith("+00:00")


def test_split_uses_split_column(small_corpus):
    train, test = split_corpus(small_corpus)
    assert set(train.column("split")) == {"train"} and set(test.column("split")) == {"test"}


def test_split_without_column_keeps_docs_together(small_corpus):
    rows = [{k: v for k, v in r.items() if k != "split"} for r in small_corpus.rows]
    c = Corpus(rows=rows, lines=small_corpus.lines)
    train, test = split_corpus(c, random_state=3)
    assert not set(train.column("doc")) & set(test.column("doc"))
    assert 0.1 < len(test) / len(c) < 0.3


def test_training_is_deterministic(small_corpus):
    a = classify.train(small_corpus, classifier="sgd", random_state=5)
    b = classify.train(small_corpus, classifier="sgd", random_state=5)
    assert a.card["metrics"] == b.card["metrics"]


def test_evaluate(model, small_corpus):
    report = classify.evaluate(model, small_corpus.where(split="test"))
    assert report == model.card["metrics"]["test"]


def test_single_label_corpus_rejected():
    c = Corpus.from_lists(["نص اول", "نص ثان", "نص ثالث"], ["other"] * 3)
    with pytest.raises(classify.InputError, match="at least two labels"):
        classify.train(c)
