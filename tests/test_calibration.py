import numpy as np
from sklearn.linear_model import RidgeClassifier

from classify.calibration import TemperatureCalibrated
from classify.hashing import HashingArabicTfidf


def test_same_predictions_as_the_wrapped_classifier_and_probabilities(small_corpus):
    train, test = small_corpus.where(split="train"), small_corpus.where(split="test")
    feats = HashingArabicTfidf(n_features=2**18).fit(train.texts)
    Xtr, Xte = feats.transform(train.texts), feats.transform(test.texts)
    raw = RidgeClassifier().fit(Xtr, train.labels)
    cal = TemperatureCalibrated(RidgeClassifier()).fit(Xtr, train.labels)
    assert list(cal.classes_) == list(raw.classes_)
    assert (cal.predict(Xte) == raw.predict(Xte)).all()
    proba = cal.predict_proba(Xte)
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-6)
    # Calibrated: the mean top probability is close to the accuracy (within 0.1 here).
    accuracy = (cal.predict(Xte) == np.array(test.labels)).mean()
    assert abs(proba.max(axis=1).mean() - accuracy) < 0.1
    assert np.allclose(cal.coef_, cal.estimator_.coef_)


def test_too_few_examples_fall_back_to_plain_softmax():
    X = np.array([[1.0, 0], [0, 1.0], [1.0, 1.0]])
    cal = TemperatureCalibrated(RidgeClassifier()).fit(X, ["a", "b", "b"])
    assert cal.calibrated_ is None
    np.testing.assert_allclose(cal.predict_proba(X).sum(axis=1), 1)
