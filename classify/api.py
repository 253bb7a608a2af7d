"""Training and evaluation, the functions behind ``classify train`` and ``classify evaluate``."""

import datetime
import time

import numpy as np
from sklearn.model_selection import GroupShuffleSplit, train_test_split

from .corpus import Corpus, bundled_corpus_path, check_trainable, read_corpus
from .errors import InputError
from .metrics import evaluation_report
from .model import Model
from .models import DEFAULT_CLASSIFIER, make_pipeline


def _as_corpus(corpus):
    if corpus is None:
        return read_corpus(bundled_corpus_path())
    if isinstance(corpus, Corpus):
        return corpus
    return read_corpus(corpus)


def split_corpus(corpus, test_size=0.2, random_state=0):
    """(train, test) corpora.

    A ``split`` column with ``train``/``test`` values is used as it is. Otherwise rows are
    split at random, stratified by label, keeping each ``doc`` (if present) on one side.
    """
    splits = set(corpus.column("split"))
    if {"train", "test"} <= splits:
        return corpus.where(split="train"), corpus.where(split="test")
    labels = np.asarray(corpus.labels)
    index = np.arange(len(corpus))
    docs = corpus.column("doc")
    if all(d not in (None, "") for d in docs) and len(set(docs)) >= 5:
        gss = GroupShuffleSplit(n_splits=1, test_size=test_size, random_state=random_state)
        train_idx, test_idx = next(gss.split(index, labels, groups=docs))
    else:
        train_idx, test_idx = train_test_split(index, test_size=test_size, stratify=labels, random_state=random_state)
    train_mask = np.zeros(len(corpus), dtype=bool)
    train_mask[train_idx] = True
    return corpus.subset(train_mask), corpus.subset(~train_mask)


def _jsonable(value):
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (tuple, list)):
        return [_jsonable(v) for v in value]
    if isinstance(value, type):
        return value.__name__
    if hasattr(value, "get_params"):
        return type(value).__name__
    return repr(value)


def pipeline_params(pipeline):
    """JSON-friendly parameters of every step (for the model card)."""
    return {
        name: {"type": type(step).__name__, **{k: _jsonable(v) for k, v in sorted(step.get_params(deep=False).items())}}
        for name, step in pipeline.steps
    }


def train(corpus=None, classifier=DEFAULT_CLASSIFIER, random_state=0, features=None, normalize=None,
          test_size=0.2, pipeline=None):
    """Train a model and measure it on held-out sentences.

    Parameters
    ----------
    corpus : path, :class:`Corpus` or None
        Labelled sentences; None means the bundled corpus (``seeds/corpus.tsv``).
    classifier : str
        A name from :data:`classify.models.CLASSIFIERS`.
    random_state : int
        Seed for the classifier and, when the corpus has no ``split`` column, the split.
    features, normalize : dict or None
        Parameters for :class:`~classify.features.ArabicTfidf` and
        :class:`~classify.normalize.ArabicNormalizer`.
    pipeline : sklearn Pipeline or None
        A ready pipeline to fit instead of building one from the arguments above.

    Returns
    -------
    Model
        Fitted on the training part; ``model.card["metrics"]`` holds the test-part scores.
    """
    corpus = _as_corpus(corpus)
    check_trainable(corpus)
    train_part, test_part = split_corpus(corpus, test_size=test_size, random_state=random_state)
    check_trainable(train_part)
    if pipeline is None:
        try:
            pipeline = make_pipeline(classifier, random_state=random_state, normalize=normalize, features=features)
        except (TypeError, ValueError) as err:
            raise InputError(str(err)) from None
    start = time.perf_counter()
    pipeline.fit(train_part.texts, train_part.labels)
    seconds = time.perf_counter() - start
    model = Model(pipeline)
    metrics = evaluate(model, test_part) if len(test_part) else None
    name = classifier if isinstance(classifier, str) else type(pipeline[-1]).__name__
    model.card = model_card(pipeline, name, random_state, corpus.path, corpus.sha256, len(corpus),
                            len(train_part), len(test_part), metrics, seconds)
    return model


def model_card(pipeline, classifier, random_state, path, sha256, sentences, train_sentences, test_sentences,
               metrics, seconds, **extra):
    """The model card stored with a model file (see :mod:`classify.modelfile`)."""
    from . import __version__
    from .labels import LABELS

    return {
        "package_version": __version__,
        "label_set": list(LABELS),
        "classifier": classifier,
        "random_state": random_state,
        "pipeline": pipeline_params(pipeline),
        "corpus": {
            "path": str(path),
            "sha256": sha256,
            "sentences": sentences,
            "train_sentences": train_sentences,
            "test_sentences": test_sentences,
        },
        "metrics": {"test": metrics},
        "training_seconds": round(seconds, 3),
        "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        **extra,
    }


def evaluate(model, corpus):
    """Evaluation report (see :func:`classify.metrics.evaluation_report`) of ``model`` on ``corpus``."""
    corpus = _as_corpus(corpus)
    return evaluation_report(corpus.labels, model.predict(corpus.texts))
