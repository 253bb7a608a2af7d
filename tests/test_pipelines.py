import numpy as np
import pytest

from classify.labels import LABELS
from classify.model import Model
from classify.pipelines import BASELINES, CLASSIFIERS, make_pipeline


@pytest.mark.parametrize("name", sorted(CLASSIFIERS) + sorted(BASELINES))
def test_every_classifier_fits_and_scores(name, small_corpus):
    train = small_corpus.where(split="train")
    test = small_corpus.where(split="test")
    pipe = make_pipeline(name, random_state=0).fit(train.texts, train.labels)
    model = Model(pipe)
    scores = model.scores(test.texts[:50])
    assert scores.shape == (50, len(LABELS))
    np.testing.assert_allclose(scores.sum(axis=1), 1.0, rtol=1e-5)
    predicted = model.predict(test.texts)
    accuracy = np.mean(np.array(predicted) == np.array(test.labels))
    if name in CLASSIFIERS:
        assert accuracy > 0.6, f"{name} accuracy {accuracy:.2f}"
    else:
        assert accuracy < 0.45


def test_pipeline_steps_and_parameters():
    pipe = make_pipeline("linear_svm", features={"char_ngram_range": (2, 4)}, normalize={"strip_tatweel": False})
    assert [name for name, _ in pipe.steps] == ["normalize", "features", "classifier"]
    params = pipe.get_params()
    assert params["features__char_ngram_range"] == (2, 4)
    assert params["normalize__strip_tatweel"] is False


def test_unknown_classifier():
    with pytest.raises(ValueError, match="unknown classifier"):
        make_pipeline("bert")
