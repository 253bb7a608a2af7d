import classify
from classify.corpus import write_corpus
from classify.outofcore import train_out_of_core


def test_out_of_core_training_streams_and_scores(small_corpus, tmp_path):
    path = tmp_path / "c.tsv"
    write_corpus(small_corpus, path)
    model = train_out_of_core(path, batch_size=97, epochs=3)
    card = model.card
    assert card["corpus"]["train_sentences"] == len(small_corpus.where(split="train"))
    assert card["corpus"]["test_sentences"] == len(small_corpus.where(split="test"))
    assert card["metrics"]["test"]["macro_f1"] > 0.6
    classify.save(model, tmp_path / "o.model")
    assert classify.load(tmp_path / "o.model").predict(small_corpus.texts[:20]) == model.predict(small_corpus.texts[:20])


def test_same_model_whatever_the_batch_size_of_the_first_pass(small_corpus, tmp_path):
    path = tmp_path / "c.tsv"
    write_corpus(small_corpus, path)
    a = train_out_of_core(path, batch_size=50, epochs=1)
    b = train_out_of_core(path, batch_size=50, epochs=1)
    assert a.predict(small_corpus.texts) == b.predict(small_corpus.texts)
