"""The classifiers on offer and the default pipeline.

Every pipeline has three steps, named for what they hold: ``normalize`` (an
:class:`~classify.normalize.ArabicNormalizer`), ``features`` (an
:class:`~classify.features.ArabicTfidf`) and ``classifier``. Parameters reach any of them
the scikit-learn way, e.g. ``features__char_ngram_range=(2, 4)``.
"""

from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression, RidgeClassifier, SGDClassifier
from sklearn.naive_bayes import ComplementNB
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC

from .calibration import TemperatureCalibrated
from .features import ArabicTfidf
from .hashing import HashingArabicTfidf
from .normalize import ArabicNormalizer


def _logreg(random_state):
    return LogisticRegression(C=5.0, max_iter=3000, class_weight="balanced", random_state=random_state)


def _linear_svm(random_state):
    return LinearSVC(C=0.5, class_weight="balanced", random_state=random_state)


def _complement_nb(random_state):
    return ComplementNB(alpha=0.3)


def _sgd(random_state):
    return SGDClassifier(
        loss="modified_huber", alpha=5e-5, max_iter=50, tol=None, class_weight="balanced", random_state=random_state
    )


def _ridge(random_state):
    return RidgeClassifier(alpha=1.0, class_weight="balanced")


def _majority(random_state):
    return DummyClassifier(strategy="most_frequent")


def _stratified(random_state):
    return DummyClassifier(strategy="stratified", random_state=random_state)


#: name -> (factory(random_state), one-line description)
CLASSIFIERS = {
    "logreg": (_logreg, "multinomial logistic regression (C=5, balanced classes)"),
    "linear_svm": (_linear_svm, "linear support vector machine (C=0.5, balanced classes)"),
    "complement_nb": (_complement_nb, "complement naive Bayes (alpha=0.3)"),
    "sgd": (_sgd, "SGD with modified Huber loss (alpha=5e-5)"),
    "ridge": (_ridge, "ridge classifier (alpha=1)"),
}
BASELINES = {
    "majority": (_majority, "always the most frequent label"),
    "stratified": (_stratified, "random labels in training proportions"),
}

#: The default, chosen by leave-one-conflict-out macro-F1 (reports/generalization).
DEFAULT_CLASSIFIER = "ridge"
DEFAULT_FEATURES = dict(word_ngram_range=(1, 2), char_ngram_range=(3, 5), char_analyzer="char_wb")


def make_classifier(name, random_state=0, calibrate=True):
    """An unfitted classifier by name; with ``calibrate``, one with only a decision
    function is wrapped in :class:`TemperatureCalibrated` so that it gives probabilities."""
    table = {**CLASSIFIERS, **BASELINES}
    if name not in table:
        raise ValueError(f"unknown classifier {name!r}; choose from {', '.join(table)}")
    clf = table[name][0](random_state)
    if calibrate and not hasattr(clf, "predict_proba"):
        clf = TemperatureCalibrated(clf)
    return clf


#: Feature extractors: the same n-grams, hashed in numpy (fast) or counted by scikit-learn.
VECTORIZERS = {"hashing": HashingArabicTfidf, "vocabulary": ArabicTfidf}
DEFAULT_VECTORIZER = "hashing"


def make_pipeline(classifier=DEFAULT_CLASSIFIER, random_state=0, normalize=None, features=None,
                  vectorizer=DEFAULT_VECTORIZER, calibrate=True):
    """Build an unfitted pipeline: normalize -> features -> classifier.

    ``normalize`` and ``features`` are dicts of parameters for
    :class:`ArabicNormalizer` and the feature extractor named by ``vectorizer``
    (:data:`VECTORIZERS`); ``classifier`` is a name from :data:`CLASSIFIERS` or
    :data:`BASELINES`, or an unfitted scikit-learn classifier. ``calibrate`` gives
    ridge and the linear SVM probabilities (see :func:`make_classifier`).
    """
    clf = make_classifier(classifier, random_state, calibrate) if isinstance(classifier, str) else classifier
    if vectorizer not in VECTORIZERS:
        raise ValueError(f"unknown vectorizer {vectorizer!r}; choose from {', '.join(VECTORIZERS)}")
    feature_params = dict(DEFAULT_FEATURES)
    if vectorizer == "hashing":
        feature_params.pop("char_analyzer")  # hashing builds char_wb n-grams only
    feature_params.update(features or {})
    return Pipeline(
        [
            ("normalize", ArabicNormalizer(**(normalize or {}))),
            ("features", VECTORIZERS[vectorizer](**feature_params)),
            ("classifier", clf),
        ]
    )
