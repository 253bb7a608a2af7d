"""Prediction from plain arrays: what a trained linear model is, with no scikit-learn.

A fitted default pipeline is a handful of arrays: the normalization steps, the hashing
constants and n-gram ranges, the idf of every bucket, the coefficients and intercepts,
the calibration temperature and the label names. :func:`from_pipeline` reads them off a
fitted pipeline; :class:`LinearPredictor` computes the same TF-IDF rows (through
:mod:`classify.features.ngrams` and :mod:`classify.features.weighting`) and the same
probabilities with numpy alone, so a command that only predicts starts in a fraction of a
second. ``tests/test_predictor.py`` checks labels and scores against the pipeline on the
whole corpus.
"""

import io

import numpy as np

from .features.ngrams import count_rows, ngram_names
from .features.weighting import tfidf_rows
from .normalization import normalize_all

#: Array names of a predictor file (a ``.npz`` member of the model file, read with allow_pickle=False).
FIELDS = ("labels", "steps", "word", "char", "bits", "lowercase", "lead", "sublinear", "idf", "coef", "intercept",
          "temperature")


def _softmax(z, temperature):
    z = z / temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


class LinearPredictor:
    """Hashed TF-IDF features and a linear classifier with temperature-scaled softmax.

    Attributes
    ----------
    labels : list of str
    nnz_ : not stored; :meth:`features` returns CSR arrays.
    """

    def __init__(self, labels, steps, word, char, bits, lowercase, lead, sublinear, idf, coef, intercept,
                 temperature):
        self.labels = [str(x) for x in labels]
        self.steps = frozenset(str(s) for s in steps)
        self.word = None if word is None else tuple(int(x) for x in word)
        self.char = None if char is None else tuple(int(x) for x in char)
        self.bits = int(bits)
        self.lowercase = bool(lowercase)
        self.lead = int(lead)
        self.sublinear = bool(sublinear)
        self.idf = np.ascontiguousarray(idf, dtype=np.float32)
        # (n_features, n_labels), C order: one gathered row of weights per n-gram occurrence.
        self.weights = np.ascontiguousarray(np.asarray(coef, dtype=np.float32).T)
        self.intercept = np.asarray(intercept, dtype=np.float64)
        self.temperature = float(temperature)

    def normalize(self, texts):
        return normalize_all(texts, self.steps)

    def features(self, normalized):
        """CSR arrays ``(data, indices, indptr)`` of the TF-IDF rows of normalized texts."""
        data, indices, indptr = count_rows(normalized, self.word, self.char, self.bits, self.lowercase, self.lead)
        data = data.astype(np.float32)
        tfidf_rows(data, indptr, indices, self.idf, self.sublinear)
        return data, indices, indptr

    def decision(self, data, indices, indptr):
        """Decision values (n_texts, n_labels): ``X @ coef.T + intercept``."""
        n = len(indptr) - 1
        out = np.zeros((n, self.weights.shape[1]), dtype=np.float64)
        if len(data):
            contrib = self.weights[indices] * data[:, None]
            nonempty = np.diff(indptr) > 0
            out[nonempty] = np.add.reduceat(contrib, indptr[:-1][nonempty], axis=0)
        return out + self.intercept

    def scores(self, texts):
        """(probabilities, featureless mask) for raw texts."""
        data, indices, indptr = self.features(self.normalize(texts))
        return _softmax(self.decision(data, indices, indptr), self.temperature), np.diff(indptr) == 0

    def explain(self, text, label_index, top):
        normalized = self.normalize([text])[0]
        data, indices, indptr = self.features([normalized])
        contrib = data * self.weights[indices, label_index]
        order = [k for k in np.argsort(-contrib, kind="stable")[:top] if contrib[k] > 0]
        names = {}
        for name, col in ngram_names(normalized, self.word, self.char, self.bits, self.lowercase, self.lead):
            if name not in names.setdefault(col, name).split(" | "):
                names[col] += " | " + name
        return [(names[indices[k]], round(float(contrib[k]), 4)) for k in order]

    # ------------------------------------------------------------------ files
    def to_bytes(self):
        buffer = io.BytesIO()
        np.savez(buffer, labels=np.array(self.labels), steps=np.array(sorted(self.steps)),
                 word=np.array(self.word if self.word else [], dtype=np.int64),
                 char=np.array(self.char if self.char else [], dtype=np.int64),
                 bits=np.int64(self.bits), lowercase=np.bool_(self.lowercase), lead=np.int64(self.lead),
                 sublinear=np.bool_(self.sublinear), idf=self.idf, coef=self.weights.T, intercept=self.intercept,
                 temperature=np.float64(self.temperature))
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data):
        with np.load(io.BytesIO(data), allow_pickle=False) as z:
            missing = set(FIELDS) - set(z.files)
            if missing:
                raise ValueError(f"predictor arrays missing: {', '.join(sorted(missing))}")
            word, char = z["word"].tolist(), z["char"].tolist()
            predictor = cls(z["labels"].tolist(), z["steps"].tolist(), word or None, char or None, z["bits"],
                            z["lowercase"], z["lead"], z["sublinear"], z["idf"], z["coef"], z["intercept"],
                            z["temperature"])
        if predictor.weights.shape != (len(predictor.idf), len(predictor.labels)) or len(predictor.idf) != 1 << predictor.bits:
            raise ValueError("predictor arrays have inconsistent shapes")
        return predictor


def from_pipeline(pipeline):
    """A :class:`LinearPredictor` equal to a fitted default-shaped pipeline, or None.

    None when the classifier's probabilities are not a softmax of a linear decision
    (SGD's modified Huber, naive Bayes, baselines) or the features are not hashed.
    """
    from .calibration import TemperatureCalibrated
    from .features.hashing import HashingArabicTfidf

    normalizer, features, clf = pipeline[0], pipeline[1], pipeline[2]
    if not isinstance(features, HashingArabicTfidf):
        return None
    if isinstance(clf, TemperatureCalibrated):
        temperature = clf.temperature_
        linear = clf.estimator_
    elif type(clf).__name__ == "LogisticRegression":
        temperature, linear = 1.0, clf
    else:
        return None
    coef = np.asarray(linear.coef_)
    intercept = np.broadcast_to(np.asarray(linear.intercept_, dtype=np.float64), (coef.shape[0],))
    if coef.shape[0] != len(clf.classes_):  # binary models keep one row
        return None
    word, char, bits = features.spec_
    return LinearPredictor(
        labels=clf.classes_, steps=normalizer.steps_ if hasattr(normalizer, "steps_") else normalizer.fit().steps_,
        word=word, char=char, bits=bits, lowercase=features.lowercase, lead=int(features.lead_words),
        sublinear=features.sublinear_tf, idf=features.idf_, coef=coef, intercept=intercept, temperature=temperature,
    )
