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

from .features.ngrams import count_blocks, count_rows, ngram_names
from .features.weighting import tfidf_rows

#: Array names of a predictor file (a ``.npz`` member of the model file, read with allow_pickle=False).
FIELDS = ("labels", "steps", "word", "char", "bits", "lowercase", "lead", "sublinear", "idf", "coef", "intercept",
          "temperature", "block_names", "block_weights", "table_from", "table_to")


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
        The labels, in the column order of :meth:`scores`.
    blocks : dict
        ``{block: weight}`` of the feature blocks whose contributions are added.
    """

    def __init__(self, labels, steps, word, char, bits, lowercase, lead, sublinear, idf, coef, intercept,
                 temperature, blocks=None):
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
        #: {block: weight}: {"all": 1.0} for one row-normalized block, else word/char/lead separately
        self.blocks = {str(k): float(v) for k, v in (blocks or {"all": 1.0}).items()}
        self._table = None

    @property
    def table(self):
        """The ``str.translate`` table of the normalization steps, as stored with the model
        (so that predicting need not run the pyarabic chain to build it)."""
        if self._table is None:
            from .normalization import _translation_table

            self._table = _translation_table(frozenset(self.steps))
        return self._table

    def normalize(self, texts):
        table = self.table
        if "collapse_whitespace" in self.steps:
            return [" ".join(t.translate(table).split()) for t in texts]
        return [t.translate(table) for t in texts]

    def features(self, normalized):
        """``{block: (data, indices, indptr)}``: the weighted TF-IDF rows of normalized texts,
        per block (one block, ``all``, unless the features normalize blocks separately)."""
        if list(self.blocks) == ["all"]:
            found = {"all": count_rows(normalized, self.word, self.char, self.bits, self.lowercase, self.lead)}
        else:
            found = count_blocks(normalized, self.word, self.char, self.bits, self.lowercase, self.lead)
        out = {}
        for name, (data, indices, indptr) in found.items():
            data = data.astype(np.float32)
            tfidf_rows(data, indptr, indices, self.idf, self.sublinear)
            if self.blocks[name] != 1.0:
                data *= np.float32(self.blocks[name])
            out[name] = (data, indices, indptr)
        return out

    def decision(self, blocks):
        """Decision values (n_texts, n_labels): ``X @ coef.T + intercept``, X the sum of the blocks."""
        n = len(next(iter(blocks.values()))[2]) - 1
        out = np.zeros((n, self.weights.shape[1]), dtype=np.float64)
        for data, indices, indptr in blocks.values():
            if len(data):
                contrib = self.weights[indices] * data[:, None]
                nonempty = np.diff(indptr) > 0
                out[nonempty] += np.add.reduceat(contrib, indptr[:-1][nonempty], axis=0)
        return out + self.intercept

    def scores(self, texts):
        """(probabilities, featureless mask) for raw texts."""
        blocks = self.features(self.normalize(texts))
        featureless = sum(np.diff(indptr) for _, _, indptr in blocks.values()) == 0
        return _softmax(self.decision(blocks), self.temperature), featureless

    def explain(self, text, label_index, top):
        normalized = self.normalize([text])[0]
        blocks = self.features([normalized])
        # one (block, column) per feature; a column's weight adds its block's contributions
        kinds = {"word": "word", "char": "char", "lead": "lead"}
        contrib, keys = [], []
        for name, (data, indices, _) in blocks.items():
            contrib.append(data * self.weights[indices, label_index])
            keys += [(name, int(c)) for c in indices]
        contrib = np.concatenate(contrib) if contrib else np.zeros(0)
        order = [k for k in np.argsort(-contrib, kind="stable")[:top] if contrib[k] > 0]
        names = {}
        for name, col in ngram_names(normalized, self.word, self.char, self.bits, self.lowercase, self.lead):
            block = "all" if "all" in blocks else kinds[name.split(":", 1)[0]]
            key = (block, col)
            if name not in names.setdefault(key, name).split(" | "):
                names[key] += " | " + name
        return [(names[keys[k]], round(float(contrib[k]), 4)) for k in order]

    # ------------------------------------------------------------------ files
    def _table_arrays(self):
        table = self.table
        changed = [i for i in range(len(table)) if table[i] != chr(i)]
        return (np.array(changed, dtype=np.int64),
                np.array([table[i] if table[i] is not None else "" for i in changed], dtype=np.str_))

    def to_bytes(self):
        table_from, table_to = self._table_arrays()
        buffer = io.BytesIO()
        np.savez(buffer, labels=np.array(self.labels), steps=np.array(sorted(self.steps)),
                 word=np.array(self.word if self.word else [], dtype=np.int64),
                 char=np.array(self.char if self.char else [], dtype=np.int64),
                 bits=np.int64(self.bits), lowercase=np.bool_(self.lowercase), lead=np.int64(self.lead),
                 sublinear=np.bool_(self.sublinear), idf=self.idf, coef=self.weights.T, intercept=self.intercept,
                 temperature=np.float64(self.temperature), block_names=np.array(list(self.blocks)),
                 block_weights=np.array(list(self.blocks.values()), dtype=np.float64),
                 table_from=table_from, table_to=table_to)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data):
        with np.load(io.BytesIO(data), allow_pickle=False) as z:
            missing = set(FIELDS) - set(z.files)
            if missing:
                raise ValueError(f"predictor arrays missing: {', '.join(sorted(missing))}")
            word, char = z["word"].tolist(), z["char"].tolist()
            blocks = dict(zip(z["block_names"].tolist(), z["block_weights"].tolist()))
            if not blocks or not set(blocks) <= {"all", "word", "char", "lead"}:
                raise ValueError(f"unknown feature blocks {sorted(blocks)}")
            predictor = cls(z["labels"].tolist(), z["steps"].tolist(), word or None, char or None, z["bits"],
                            z["lowercase"], z["lead"], z["sublinear"], z["idf"], z["coef"], z["intercept"],
                            z["temperature"], blocks)
            codes, outputs = z["table_from"].tolist(), z["table_to"].tolist()
        if any(not 0 <= c < 0x10000 for c in codes) or len(codes) != len(outputs):
            raise ValueError("normalization table out of range")
        table = [chr(i) for i in range(0x10000)]
        for code, out in zip(codes, outputs):
            table[code] = out or None
        predictor._table = table
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
        blocks=features.blocks,
    )
