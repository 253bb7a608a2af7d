"""Training on corpora larger than memory: hashed features and ``partial_fit`` over batches.

The file is streamed several times and never held in memory: one pass counts document
frequencies and labels (for the idf weights and the class weights), then each epoch
streams it again in batches and updates an ``SGDClassifier`` with ``partial_fit``. Rows
whose ``split`` is ``test`` are held out and scored at the end; without a ``split``
column, one row in five (by a hash of its text) is held out.
"""

import time
import zlib
from collections import Counter

import numpy as np
from sklearn.linear_model import SGDClassifier
from sklearn.pipeline import Pipeline

from .corpus import file_sha256, iter_rows
from .errors import InputError
from .hashing import HashingArabicTfidf
from .labels import LABELS
from .metrics import evaluation_report
from .model import Model
from .normalize import ArabicNormalizer
from .stream import batched


def _held_out(row):
    split = row.get("split")
    if split in ("train", "test"):
        return split == "test"
    return zlib.crc32(row["text"].encode("utf-8", "surrogatepass")) % 5 == 0


def _batches(path, batch_size, held_out):
    rows = (row for _, row in iter_rows(path, check_ids=False) if _held_out(row) == held_out)
    for batch in batched(rows, batch_size):
        yield [r["text"] for r in batch], np.array([r["label"] for r in batch], dtype=object)


def train_out_of_core(path=None, batch_size=10000, epochs=10, random_state=0, alpha=5e-5, progress=None):
    """Train a hashed-feature SGD model on ``path`` without loading it; returns a :class:`Model`."""
    from .api import model_card
    from .corpus import bundled_corpus_path

    path = str(path or bundled_corpus_path())
    start = time.perf_counter()
    normalizer = ArabicNormalizer()
    features = HashingArabicTfidf(batch_size=batch_size)
    features._validate()
    df = np.zeros(features.n_features, dtype=np.int64)
    labels = Counter()
    n_train = 0
    for texts, y in _batches(path, batch_size, held_out=False):
        counts = features._raw(normalizer.transform(texts))
        df += np.bincount(counts.indices, minlength=features.n_features)
        labels.update(y.tolist())
        n_train += len(texts)
    if len(labels) < 2:
        raise InputError(f"needs at least two labels in the training rows, found {sorted(labels) or 'none'}", path)
    features.idf_ = (np.log((1 + n_train) / (1 + df)) + 1).astype(features.dtype)
    classes = np.array(sorted(labels), dtype=object)
    # Balanced class weights, as the in-memory classifiers use, from the first pass's counts.
    weights = {c: n_train / (len(classes) * labels[c]) for c in classes}
    clf = SGDClassifier(loss="modified_huber", alpha=alpha, class_weight=weights, random_state=random_state)
    for epoch in range(epochs):
        for texts, y in _batches(path, batch_size, held_out=False):
            clf.partial_fit(features.transform(normalizer.transform(texts)), y, classes=classes)
        if progress:
            progress(epoch + 1, epochs)
    pipeline = Pipeline([("normalize", normalizer), ("features", features), ("classifier", clf)])
    model = Model(pipeline)
    seconds = time.perf_counter() - start
    truth, predicted, n_test = [], [], 0
    for texts, y in _batches(path, batch_size, held_out=True):
        truth += y.tolist()
        predicted += model.predict(texts)
        n_test += len(texts)
    metrics = evaluation_report(truth, predicted, LABELS) if n_test else None
    model.card = model_card(pipeline, "sgd (out-of-core)", random_state, path, file_sha256(path), n_train + n_test,
                            n_train, n_test, metrics, seconds, out_of_core={"batch_size": batch_size, "epochs": epochs})
    return model
