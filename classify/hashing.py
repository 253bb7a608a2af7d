"""Fast TF-IDF features: word and character n-grams hashed in numpy, a batch at a time.

scikit-learn's vectorizers build every n-gram as a Python string, which caps a
``char_wb`` (2, 5) pipeline at a few thousand sentences a second. Here the whole batch
is one array of code points; a polynomial prefix hash gives the hash of any substring in
O(1), so all n-grams of all sentences are hashed by a handful of vectorized numpy
operations. The features follow ``TfidfVectorizer`` (word tokens of two or more word
characters, ``char_wb`` n-grams inside space-padded words, sublinear tf, smoothed idf,
l2 norm); only the column of an n-gram is a hash bucket instead of a vocabulary index.
"""

import re

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from .features import _as_text_list, _check_range

_P = np.uint64(0x100000001B3)  # odd multiplier of the polynomial hash (the FNV prime)
_P_INV = np.uint64(pow(int(_P), -1, 2**64))
_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd: multiplying by it is a bijection mod 2**64
_WORD_SALT = np.uint64(0xD6E8FEB86659FD93)
_BIGRAM = np.uint64(0xC2B2AE3D27D4EB4F)
_SPACE = 32

# \w as Python's re understands it, for every code point of the Basic Multilingual Plane.
_WORD_CHAR = np.array([bool(re.match(r"\w", chr(c))) for c in range(0x10000)], dtype=bool)


_POWER_CACHE = {}


def _powers(base, n):
    """base**0 .. base**(n-1) mod 2**64, from a cache that grows by doubling."""
    cached = _POWER_CACHE.get(int(base))
    if cached is None or len(cached) < n:
        size = max(n, 2 * len(cached) if cached is not None else 1 << 16)
        out = np.full(size, base, dtype=np.uint64)
        out[0] = 1
        with np.errstate(over="ignore"):
            cached = _POWER_CACHE[int(base)] = np.cumprod(out, dtype=np.uint64)
    return cached[:n]


class _Batch:
    """Code points of a batch of texts, padded the ``char_wb`` way, and their prefix hashes."""

    def __init__(self, texts, lowercase):
        padded = [" " + "  ".join((t.lower() if lowercase else t).split()) + " " for t in texts]
        self.lengths = np.fromiter(map(len, padded), dtype=np.int64, count=len(padded))
        self.codes = np.frombuffer("".join(padded).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        self.doc = np.repeat(np.arange(len(padded), dtype=np.int32), self.lengths)
        n = len(self.codes)
        # room[i]: characters from i to the end of its padded word. Padded words meet at
        # a double space, so an n-gram starting at i stays inside its word iff room[i] >= n.
        boundary = np.flatnonzero((self.codes[:-1] == _SPACE) & (self.codes[1:] == _SPACE))
        ends = np.concatenate((boundary, [n - 1]))
        self.room = (ends[np.searchsorted(ends, np.arange(n))] - np.arange(n) + 1).astype(np.int32)
        with np.errstate(over="ignore"):
            self.inv = _powers(_P_INV, n + 1)
            terms = self.codes.astype(np.uint64) * _powers(_P, n)
            self.prefix = np.concatenate(([np.uint64(0)], np.cumsum(terms, dtype=np.uint64)))

    def substring_hash(self, start, length):
        with np.errstate(over="ignore"):
            return (self.prefix[start + length] - self.prefix[start]) * self.inv[start]

    def char_ngrams(self, n):
        """Start positions of the n-grams that lie inside one padded word."""
        return np.flatnonzero(self.room >= n)

    def words(self):
        """(start, length) of the runs of two or more word characters."""
        codes = self.codes
        word = np.zeros(len(codes), dtype=bool)
        bmp = codes < 0x10000
        word[bmp] = _WORD_CHAR[codes[bmp]]
        edges = np.diff(np.concatenate(([0], word.view(np.int8), [0])))
        starts = np.flatnonzero(edges == 1)
        lengths = np.flatnonzero(edges == -1) - starts
        keep = lengths >= 2
        return starts[keep], lengths[keep]


def _bucket(h, salt, bits):
    with np.errstate(over="ignore"):
        return (((h ^ salt) * _MIX) >> np.uint64(64 - bits)).astype(np.int32)


class HashingArabicTfidf(TransformerMixin, BaseEstimator):
    """TF-IDF of hashed word and character n-grams, vectorized over whole batches.

    Parameters
    ----------
    word_ngram_range : (int, int) or None
        Word n-gram range (1 or 2 at most); None leaves word features out.
    char_ngram_range : (int, int) or None
        ``char_wb`` n-gram range; None leaves character features out.
    n_features : int
        Number of hash buckets, a power of two.
    sublinear_tf : bool
        Use 1 + log(tf).
    lowercase : bool
        Lower-case before hashing (affects Latin script only).
    batch_size : int
        Sentences hashed at once; bounds the memory of ``transform``.
    dtype : numpy dtype
        Dtype of the feature matrix.
    """

    def __init__(self, word_ngram_range=(1, 2), char_ngram_range=(3, 5), n_features=2**18, sublinear_tf=True,
                 lowercase=True, batch_size=20000, dtype=np.float32):
        self.word_ngram_range = word_ngram_range
        self.char_ngram_range = char_ngram_range
        self.n_features = n_features
        self.sublinear_tf = sublinear_tf
        self.lowercase = lowercase
        self.batch_size = batch_size
        self.dtype = dtype

    def _validate(self):
        word = _check_range("word_ngram_range", self.word_ngram_range)
        char = _check_range("char_ngram_range", self.char_ngram_range)
        if word is None and char is None:
            raise ValueError("HashingArabicTfidf needs word_ngram_range or char_ngram_range (both are None)")
        if word is not None and word[1] > 2:
            raise ValueError(f"word_ngram_range goes up to bigrams, got {self.word_ngram_range!r}")
        n = self.n_features
        if not isinstance(n, (int, np.integer)) or n < 2 or n & (n - 1):
            raise ValueError(f"n_features must be a power of two, got {n!r}")
        if int(self.batch_size) < 1:
            raise ValueError(f"batch_size must be >= 1, got {self.batch_size!r}")
        return word, char, int(n).bit_length() - 1

    def _occurrences(self, batch, explain=False):
        """(doc, column) of every n-gram occurrence; with ``explain``, also (start, length)."""
        word, char, bits = self._validate()
        docs, cols, spans = [], [], []
        if char is not None:
            for n in range(char[0], char[1] + 1):
                start = batch.char_ngrams(n)
                docs.append(batch.doc[start])
                cols.append(_bucket(batch.substring_hash(start, n), np.uint64(n), bits))
                if explain:
                    spans.append(np.column_stack([start, np.full(len(start), n)]))
        if word is not None:
            start, length = batch.words()
            h = batch.substring_hash(start, length)
            if word[0] <= 1:
                docs.append(batch.doc[start])
                cols.append(_bucket(h, _WORD_SALT, bits))
                if explain:
                    spans.append(np.column_stack([start, length]))
            if word[1] >= 2 and len(start) > 1:
                same = batch.doc[start[:-1]] == batch.doc[start[1:]]
                with np.errstate(over="ignore"):
                    pair = h[:-1][same] * _BIGRAM + h[1:][same]
                docs.append(batch.doc[start[:-1]][same])
                cols.append(_bucket(pair, _WORD_SALT ^ _BIGRAM, bits))
                if explain:
                    first, second = np.flatnonzero(same), np.flatnonzero(same) + 1
                    spans.append(np.column_stack([start[first], length[first], start[second], length[second]]))
        if explain:
            return docs, cols, spans
        return np.concatenate(docs), np.concatenate(cols)

    def _counts(self, texts):
        batch = _Batch(texts, self.lowercase)
        doc, col = self._occurrences(batch)
        data = np.ones(len(doc), dtype=self.dtype)
        X = sp.csr_matrix((data, (doc, col)), shape=(len(texts), self.n_features), dtype=self.dtype)
        X.sum_duplicates()
        return X

    def _weight(self, X):
        if self.sublinear_tf:
            np.log(X.data, out=X.data)
            X.data += 1
        X.data *= self.idf_[X.indices]
        norms = np.sqrt(np.add.reduceat(X.data**2, X.indptr[:-1])) if X.nnz else np.zeros(0)
        counts = np.diff(X.indptr)
        norms = np.where(counts > 0, norms[: len(counts)] if len(norms) else 0, 1)
        norms[norms == 0] = 1
        X.data /= np.repeat(norms, counts).astype(self.dtype)
        return X

    def _raw(self, texts):
        size = int(self.batch_size)
        blocks = [self._counts(texts[i : i + size]) for i in range(0, len(texts), size)]
        if not blocks:
            return sp.csr_matrix((0, self.n_features), dtype=self.dtype)
        return blocks[0] if len(blocks) == 1 else sp.vstack(blocks, format="csr")

    def fit(self, X, y=None):
        self.fit_transform(X, y)
        return self

    def fit_transform(self, X, y=None):
        self._validate()
        texts = _as_text_list(X)
        counts = self._raw(texts)
        df = np.bincount(counts.indices, minlength=self.n_features)
        n = counts.shape[0]
        self.idf_ = (np.log((1 + n) / (1 + df)) + 1).astype(self.dtype)
        return self._weight(counts)

    def transform(self, X):
        check_is_fitted(self, "idf_")
        return self._weight(self._raw(_as_text_list(X)))

    def ngrams(self, text):
        """The n-grams of one text as ``[(name, column), ...]`` (for explanations)."""
        batch = _Batch([text], self.lowercase)
        _, cols, spans = self._occurrences(batch, explain=True)
        chars = batch.codes.tobytes().decode("utf-32-le", "surrogatepass")
        word, char, _ = self._validate()
        out = []
        kinds = (["char"] * (char[1] - char[0] + 1) if char else []) + (
            (["word"] if word[0] <= 1 else []) + (["word"] if word[1] >= 2 else []) if word else []
        )
        for kind, col, span in zip(kinds, cols, spans):
            for c, (s, length, *second) in zip(col.tolist(), span.tolist()):
                name = chars[s : s + length]
                if second:  # a word bigram: its two tokens, as TfidfVectorizer names it
                    name += " " + chars[second[0] : second[0] + second[1]]
                out.append((f"{kind}:{name}", c))
        return out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags
