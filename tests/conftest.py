import pytest

import classify
from classify.corpus import bundled_corpus_path, read_corpus


@pytest.fixture(scope="session")
def corpus():
    return read_corpus(bundled_corpus_path())


@pytest.fixture(scope="session")
def small_corpus(corpus):
    """Every fourth training sentence plus every fourth test sentence: quick to train on."""
    return corpus.subset([i % 4 == 0 for i in range(len(corpus))])


@pytest.fixture(scope="session")
def model(small_corpus):
    return classify.train(small_corpus, random_state=0)


@pytest.fixture(scope="session")
def model_path(model, tmp_path_factory):
    path = tmp_path_factory.mktemp("models") / "small.model"
    classify.save(model, path)
    return path


@pytest.fixture(scope="session")
def seed_article():
    return classify.bundled_article_path().read_text(encoding="utf-8")
