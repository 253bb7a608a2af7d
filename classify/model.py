"""A trained model: the fitted pipeline, its model card, and prediction helpers."""

import dataclasses
import re

import numpy as np

from .labels import LABELS
from .sentences import split_sentences

_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")


@dataclasses.dataclass
class Prediction:
    """One sentence's label, its score, and every label's score."""

    text: str
    label: str
    score: float
    scores: dict
    flag: str = ""  # "non_arabic" when the sentence has no Arabic letter
    explanation: list = None

    def as_dict(self):
        out = {"text": self.text, "label": self.label, "score": self.score, "scores": self.scores}
        if self.flag:
            out["flag"] = self.flag
        if self.explanation is not None:
            out["explanation"] = [{"ngram": g, "weight": w} for g, w in self.explanation]
        return out


def _softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


class Model:
    """A fitted ``normalize -> features -> classifier`` pipeline with its model card.

    Scores are probabilities when the classifier has ``predict_proba`` and a softmax of
    its decision function otherwise; either way each row sums to one.
    """

    def __init__(self, pipeline, card=None):
        self.pipeline = pipeline
        self.card = dict(card or {})

    @property
    def labels(self):
        return [str(c) for c in self.pipeline.classes_]

    def __repr__(self):
        clf = type(self.pipeline[-1]).__name__
        return f"Model({clf}, labels={self.labels})"

    def scores(self, sentences):
        """Array (n_sentences, n_labels) of scores, columns in :attr:`labels` order."""
        sentences = _as_list(sentences)
        if not sentences:
            return np.zeros((0, len(self.labels)))
        clf = self.pipeline[-1]
        X = self.pipeline[:-1].transform(sentences)
        if hasattr(clf, "predict_proba"):
            return clf.predict_proba(X)
        z = clf.decision_function(X)
        if z.ndim == 1:
            z = np.column_stack([-z, z])
        return _softmax(z)

    def predict(self, sentences):
        """The label of each sentence."""
        s = self.scores(sentences)
        labels = np.asarray(self.labels, dtype=object)
        return [str(x) for x in labels[s.argmax(axis=1)]] if len(s) else []

    def predict_sentences(self, sentences, explain=0):
        """:class:`Prediction` for each sentence; ``explain=k`` adds the k strongest n-grams."""
        sentences = _as_list(sentences)
        s = self.scores(sentences)
        labels = self.labels
        column = {label: j for j, label in enumerate(labels)}
        ordered = [label for label in LABELS if label in column] + [l for l in labels if l not in LABELS]
        out = []
        for i, text in enumerate(sentences):
            best = int(s[i].argmax())
            out.append(
                Prediction(
                    text=text,
                    label=labels[best],
                    score=round(float(s[i, best]), 4),
                    scores={label: round(float(s[i, column[label]]), 4) for label in ordered},
                    flag="" if _ARABIC.search(text) else "non_arabic",
                )
            )
        if explain:
            for pred, expl in zip(out, self.explain([p.text for p in out], [p.label for p in out], top=explain)):
                pred.explanation = expl
        return out

    def predict_article(self, text, explain=0):
        """Split an article into sentences and predict each."""
        return self.predict_sentences(split_sentences(text), explain=explain)

    def explain(self, sentences, labels=None, top=5):
        """For each sentence, the n-grams that pushed hardest towards its label.

        Returns lists of ``(ngram, weight)`` where weight is the feature value times the
        classifier's coefficient for that label (linear models) or its centred log
        probability (naive Bayes). Empty for classifiers without either.
        """
        sentences = _as_list(sentences)
        if labels is None:
            labels = self.predict(sentences)
        weights = _label_weights(self.pipeline[-1])
        if weights is None:
            return [[] for _ in sentences]
        features = self.pipeline[-2]
        normalized = self.pipeline[:-2].transform(sentences)
        X = features.transform(normalized).tocsr()
        vocabulary = None if hasattr(features, "ngrams") else features.get_feature_names_out()
        index = {label: i for i, label in enumerate(self.labels)}
        result = []
        for row, label in enumerate(labels):
            start, end = X.indptr[row], X.indptr[row + 1]
            cols, vals = X.indices[start:end], X.data[start:end]
            contrib = vals * weights[index[label], cols]
            order = [k for k in np.argsort(-contrib, kind="stable")[:top] if contrib[k] > 0]
            if vocabulary is not None:
                names = {cols[k]: str(vocabulary[cols[k]]) for k in order}
            else:
                # A hashed column has no stored name: name it by the sentence's own n-grams
                # that fall in it (usually one; hash collisions show as "a | b").
                names = {}
                for name, col in features.ngrams(normalized[row]):
                    if name not in names.setdefault(col, name).split(" | "):
                        names[col] += " | " + name
            result.append([(names[cols[k]], round(float(contrib[k]), 4)) for k in order])
        return result


def _label_weights(clf):
    coef = getattr(clf, "coef_", None)
    if coef is None and hasattr(clf, "feature_log_prob_"):
        coef = clf.feature_log_prob_ - clf.feature_log_prob_.mean(axis=0, keepdims=True)
    if coef is None:
        return None
    coef = np.asarray(coef)
    if coef.shape[0] == 1:  # binary linear models store one row for the positive class
        coef = np.vstack([-coef[0], coef[0]])
    return coef


def _as_list(sentences):
    if isinstance(sentences, str):
        return [sentences]
    return list(sentences)
