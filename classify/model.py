"""A trained model: the fitted pipeline, its card, and every rule about the sentences it is given.

The input rules live here and only here, so the Python API, the command line, the
streaming workers and the Dask partitions treat the same text the same way:

- a NUL byte is read as a space (flag ``nul_bytes``);
- a sentence longer than :data:`MAX_CHARS` characters is classified on its first
  ``MAX_CHARS`` and kept whole in the output (flag ``truncated``);
- U+FFFD, what undecodable bytes become, is kept (flag ``invalid_utf8``);
- a sentence with no Arabic letter is classified all the same (flag ``non_arabic``);
- a sentence that yields no n-gram at all (a tatweel separator line, a lone diacritic)
  is labelled ``other`` (flag ``no_features``).
"""

import dataclasses

from .charsets import has_arabic_letter
from .labels import OTHER, in_label_order
from .sentences import split_sentences

#: Sentences longer than this are classified on their first MAX_CHARS characters and flagged.
MAX_CHARS = 5000
#: The features of at most this many characters of text are built at once, whatever the
#: number of sentences: one huge input line cannot make one huge feature matrix.
CHUNK_CHARS = 2_000_000


@dataclasses.dataclass
class Prediction:
    """One sentence's label, its score, every label's score, and the input rules it met.

    Attributes
    ----------
    text : str
        The sentence, as given (whole, even when truncated for the model).
    label : str
    score : float
        The probability of ``label``.
    scores : dict
        Every label's probability, in :data:`classify.labels.LABELS` order.
    flags : tuple of str
        Input rules the sentence met (see the module docstring), in a fixed order.
    explanation : list of (str, float) or None
        The n-grams that pushed hardest towards ``label``, when asked for.
    """

    text: str
    label: str
    score: float
    scores: dict
    flags: tuple = ()
    explanation: list = None

    def as_dict(self):
        out = {"text": self.text, "label": self.label, "score": self.score, "scores": self.scores}
        if self.flags:
            out["flags"] = list(self.flags)
        if self.explanation is not None:
            out["explanation"] = [{"ngram": g, "weight": w} for g, w in self.explanation]
        return out


def prepare(sentences):
    """(texts for the model, flags of each sentence) under the input rules above."""
    texts, flags = [], []
    for sentence in sentences:
        found = []
        if "\x00" in sentence:
            sentence = sentence.replace("\x00", " ")
            found.append("nul_bytes")
        if len(sentence) > MAX_CHARS:
            sentence = sentence[:MAX_CHARS]
            found.append("truncated")
        if "\ufffd" in sentence:
            found.append("invalid_utf8")
        if not has_arabic_letter(sentence):
            found.append("non_arabic")
        texts.append(sentence)
        flags.append(found)
    return texts, flags


class Model:
    """A fitted ``normalize -> features -> classifier`` pipeline with its model card.

    Scores are probabilities when the classifier has ``predict_proba`` and a softmax of
    its decision function otherwise; either way each row sums to one.

    A linear model loaded from a file also carries its plain-array twin
    (:class:`~classify.predictor.LinearPredictor`); predictions and explanations then come
    from the arrays, with the same labels and scores, and the pipeline is only rebuilt
    when asked for.

    Parameters
    ----------
    pipeline : sklearn.pipeline.Pipeline or None
        Fitted, with steps ``normalize``, ``features`` and ``classifier``.
    card : classify.card.ModelCard or None, default=None
    predictor : classify.predictor.LinearPredictor or None, default=None
    pipeline_loader : callable or None, default=None
        Builds the pipeline on first use when ``pipeline`` is None.

    Attributes
    ----------
    labels : list of str
        The classifier's labels, in the column order of :meth:`scores`.

    Examples
    --------
    >>> import classify
    >>> model = classify.load(classify.persistence.default_model_path())  # doctest: +SKIP
    >>> model.predict(["انسحبت القوات الحكومية من حمص"])  # doctest: +SKIP
    ['military_movement']
    """

    def __init__(self, pipeline=None, card=None, predictor=None, pipeline_loader=None):
        if pipeline is None and pipeline_loader is None:
            raise ValueError("Model needs a pipeline or a pipeline_loader")
        self._pipeline = pipeline
        self._loader = pipeline_loader
        self.card = card
        self.predictor = predictor

    @property
    def pipeline(self):
        if self._pipeline is None:
            self._pipeline = self._loader()
        return self._pipeline

    @property
    def labels(self):
        if self.predictor is not None:
            return list(self.predictor.labels)
        return [str(c) for c in self.pipeline.classes_]

    @property
    def output_labels(self):
        """The column order of :meth:`predict_batch`'s scores: :data:`~classify.labels.LABELS`
        order, then any other label."""
        return in_label_order(self.labels)

    def __repr__(self):
        kind = self.card.classifier if self.card is not None else type(self.pipeline[-1]).__name__
        return f"Model({kind}, labels={self.labels})"

    def _scored(self, texts):
        """(scores, featureless mask) of prepared texts, a bounded chunk at a time."""
        bounds, total = [0], 0
        for i, text in enumerate(texts):
            total += len(text)
            if total >= CHUNK_CHARS:
                bounds.append(i + 1)
                total = 0
        if bounds[-1] != len(texts):
            bounds.append(len(texts))
        if len(bounds) <= 2:
            return self._scored_chunk(texts)
        import numpy as np

        parts = [self._scored_chunk(texts[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]
        return np.vstack([p[0] for p in parts]), np.concatenate([p[1] for p in parts])

    def _scored_chunk(self, texts):
        if self.predictor is not None:
            return self.predictor.scores(texts)
        import numpy as np

        X = self.pipeline[:-1].transform(texts)
        clf = self.pipeline[-1]
        if hasattr(clf, "predict_proba"):
            s = clf.predict_proba(X)
        else:
            from .calibration import softmax

            s = softmax(clf.decision_function(X))
        featureless = np.diff(X.indptr) == 0 if hasattr(X, "indptr") else np.zeros(len(texts), dtype=bool)
        return s, featureless

    def scores(self, sentences):
        """Array (n_sentences, n_labels) of scores, columns in :attr:`labels` order."""
        import numpy as np

        texts, _ = prepare(_as_list(sentences))
        if not texts:
            return np.zeros((0, len(self.labels)))
        return self._scored(texts)[0]

    def predict(self, sentences):
        """The label of each sentence (the same labels :meth:`predict_sentences` gives)."""
        return [p.label for p in self.predict_sentences(sentences)]

    def predict_batch(self, sentences, as_lists=False):
        """Labels, scores and flags of many sentences as arrays, without a Prediction per row.

        Returns ``(labels, scores, flags)``: a list of label strings, an array
        (n_sentences, n_labels) with columns in :data:`~classify.labels.LABELS` order (then
        any other label), and a list of flag tuples. :meth:`predict_sentences` and the
        streaming command line are both built on it. With ``as_lists``, scores are a list
        of rows, and a short input to a plain-array model is scored without numpy.
        """
        texts, flags = prepare(_as_list(sentences))
        names, ordered = self.labels, self.output_labels
        if as_lists:
            if not texts:
                return [], [], []
            if self.predictor is not None:
                rows, featureless = self.predictor.score_lists(texts)
            else:
                scores, mask = self._scored(texts)
                rows, featureless = scores.tolist(), mask.tolist()
            perm = [names.index(label) for label in ordered]
            s = [[row[j] for j in perm] for row in rows]
            labels = [ordered[max(range(len(row)), key=row.__getitem__)] for row in s]
        else:
            import numpy as np

            if not texts:
                return [], np.zeros((0, len(ordered))), []
            s, mask = self._scored(texts)
            s = s[:, [names.index(label) for label in ordered]]
            labels = [ordered[j] for j in s.argmax(axis=1).tolist()]
            featureless = mask.tolist()
        if OTHER in ordered:
            for i, empty in enumerate(featureless):
                if empty:
                    flags[i].append("no_features")
                    labels[i] = OTHER
        return labels, s, [tuple(f) for f in flags]

    def predict_sentences(self, sentences, explain=0):
        """:class:`Prediction` for each sentence; ``explain=k`` adds the k strongest n-grams."""
        sentences = _as_list(sentences)
        labels, s, flags = self.predict_batch(sentences)
        if not labels:
            return []
        ordered = self.output_labels
        column = {label: j for j, label in enumerate(ordered)}
        out = []
        for i, text in enumerate(sentences):
            row = s[i].tolist()
            out.append(Prediction(text=text, label=labels[i], score=round(row[column[labels[i]]], 4),
                                  scores={name: round(row[j], 4) for j, name in enumerate(ordered)}, flags=flags[i]))
        if explain:
            texts, _ = prepare(sentences)
            for pred, expl in zip(out, self.explain(texts, labels, top=explain)):
                pred.explanation = expl
        return out

    def predict_article(self, text, explain=0):
        """Split an article into sentences and predict each."""
        return self.predict_sentences(split_sentences(text), explain=explain)

    def explain(self, sentences, labels=None, top=5):
        """For each sentence, the n-grams that pushed hardest towards its label.

        Returns lists of ``(ngram, weight)`` where weight is the feature value times the
        classifier's coefficient for that label (linear models) or its centred log
        probability (naive Bayes). Empty for classifiers without either. Character
        n-grams show the word-boundary padding as ``▁``.
        """
        sentences, _ = prepare(_as_list(sentences))
        if labels is None:
            labels = self.predict(sentences)
        if self.predictor is not None:
            index = {label: i for i, label in enumerate(self.labels)}
            return [self.predictor.explain(text, index[label], top) for text, label in zip(sentences, labels)]
        import numpy as np

        weights = label_weights(self.pipeline[-1])
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
                names = {cols[k]: str(vocabulary[cols[k]]).replace(" ", "\u2581")
                         if str(vocabulary[cols[k]]).startswith("char:") else str(vocabulary[cols[k]])
                         for k in order}
            else:
                # A hashed column has no stored name: name it by the sentence's own n-grams
                # that fall in it (usually one; hash collisions show as "a | b").
                names = {}
                for name, col in features.ngrams(normalized[row]):
                    if name not in names.setdefault(col, name).split(" | "):
                        names[col] += " | " + name
            result.append([(names[cols[k]], round(float(contrib[k]), 4)) for k in order])
        return result


def label_weights(clf):
    """(n_labels, n_features) weights of a linear or naive Bayes classifier, or None."""
    coef = getattr(clf, "coef_", None)
    if coef is None and hasattr(clf, "feature_log_prob_"):
        coef = clf.feature_log_prob_ - clf.feature_log_prob_.mean(axis=0, keepdims=True)
    if coef is None:
        return None
    import numpy as np

    coef = np.asarray(coef)
    if coef.shape[0] == 1:  # binary linear models store one row for the positive class
        coef = np.vstack([-coef[0], coef[0]])
    return coef


def _as_list(sentences):
    if isinstance(sentences, str):
        return [sentences]
    return list(sentences)
