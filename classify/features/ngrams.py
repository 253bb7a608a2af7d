"""Hashed word and character n-grams of a whole batch at once, in numpy alone.

scikit-learn's vectorizers build every n-gram as a Python string, which caps a
``char_wb`` (3, 5) pipeline at a few thousand sentences a second. Here the whole batch
is one array of code points; a polynomial prefix hash gives the hash of any substring in
O(1), so all n-grams of all sentences are hashed by a handful of vectorized numpy
operations. The n-grams are the ones ``TfidfVectorizer`` builds (word tokens of two or
more word characters, ``char_wb`` n-grams inside space-padded words); only the column of
an n-gram is a hash bucket instead of a vocabulary index. This module imports neither
scikit-learn nor scipy, so a saved model can predict without them.
"""

import numpy as np

from . import pyngrams

# The hash's constants live with the pure-Python twin, which must bucket exactly as this does.
_P = np.uint64(pyngrams.P)
_P_INV = np.uint64(pyngrams.P_INV)
_MIX = np.uint64(pyngrams.MIX)
_WORD_SALT = np.uint64(pyngrams.WORD_SALT)
_BIGRAM = np.uint64(pyngrams.BIGRAM)
_LEAD_SALT = np.uint64(pyngrams.LEAD_SALT)
_SPACE = 32

# \w as Python's re understands it, for every code point of the Basic Multilingual Plane.
# \w as Python's re understands it (str.isalnum or "_", checked for every code point by
# tests/test_features_ngrams.py), filled in only for the code points a batch holds: building
# the whole table would cost a one-sentence call more than classifying the sentence.
_WORD_CHAR = np.zeros(0x10000, dtype=bool)
_KNOWN = np.zeros(0x10000, dtype=bool)


def word_chars(codes):
    """Boolean mask: which of ``codes`` (uint32 code points) are word characters."""
    mask = np.zeros(len(codes), dtype=bool)
    bmp = codes < 0x10000
    inside = codes[bmp].astype(np.int64)
    # not np.unique: it imports numpy.ma on first use, 30 ms of a one-sentence call
    seen = np.zeros(0x10000, dtype=bool)
    seen[inside] = True
    new = np.flatnonzero(seen & ~_KNOWN)
    if len(new):
        _WORD_CHAR[new] = [chr(c).isalnum() or c == 95 for c in new.tolist()]
        _KNOWN[new] = True
    mask[bmp] = _WORD_CHAR[inside]
    return mask


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


class Batch:
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
        """(start, length) of the runs of two or more word characters (computed once per batch:
        the word and the lead n-grams both need them)."""
        if getattr(self, "_words", None) is None:
            self._words = self._find_words()
        return self._words

    def _find_words(self):
        word = word_chars(self.codes)
        edges = np.diff(np.concatenate(([0], word.view(np.int8), [0])))
        starts = np.flatnonzero(edges == 1)
        lengths = np.flatnonzero(edges == -1) - starts
        keep = lengths >= 2
        return starts[keep], lengths[keep]


def _bucket(h, salt, bits):
    with np.errstate(over="ignore"):
        return (((h ^ salt) * _MIX) >> np.uint64(64 - bits)).astype(np.int32)


def occurrences(batch, word, char, bits, explain=False, lead=0):
    """(doc, column) arrays of every n-gram occurrence in ``batch``.

    ``word`` and ``char`` are validated ``(min_n, max_n)`` ranges or None; ``bits`` is
    log2 of the number of buckets. ``lead > 0`` adds a second copy, in buckets of their
    own, of the word unigrams among each text's first ``lead`` words: Arabic news puts the
    main clause's verb and subject first, and the label follows the main clause.
    With ``explain``, returns per-kind lists of docs, columns and
    (start, length[, start2, length2]) spans instead.
    """
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
        if word[1] >= 2:
            same = batch.doc[start[:-1]] == batch.doc[start[1:]] if len(start) > 1 else np.zeros(0, dtype=bool)
            with np.errstate(over="ignore"):
                pair = h[:-1][same] * _BIGRAM + h[1:][same]
            docs.append(batch.doc[start[:-1]][same])
            cols.append(_bucket(pair, _WORD_SALT ^ _BIGRAM, bits))
            if explain:
                first = np.flatnonzero(same)
                spans.append(np.column_stack([start[first], length[first], start[first + 1], length[first + 1]]))
    if lead:
        start, length = batch.words()
        doc = batch.doc[start]
        # rank of each word inside its text: position minus the position of the text's first word
        firsts = np.flatnonzero(np.concatenate(([True], doc[1:] != doc[:-1]))) if len(doc) else np.zeros(0, int)
        rank = np.arange(len(doc)) - np.repeat(firsts, np.diff(np.concatenate((firsts, [len(doc)]))))
        keep = rank < lead
        docs.append(doc[keep])
        cols.append(_bucket(batch.substring_hash(start[keep], length[keep]), _LEAD_SALT, bits))
        if explain:
            spans.append(np.column_stack([start[keep], length[keep]]))
    if explain:
        return docs, cols, spans
    if not docs:
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32)
    return np.concatenate(docs), np.concatenate(cols)


def count_rows(texts, word, char, bits, lowercase=True, lead=0):
    """CSR arrays ``(counts, indices, indptr)`` of n-gram counts per text, columns sorted.

    One sort of packed ``doc << bits | column`` keys both groups duplicates and orders
    each row, so no separate duplicate-summing pass is needed.
    """
    batch = Batch(texts, lowercase)
    doc, col = occurrences(batch, word, char, bits, lead=lead)
    return _csr(doc, col, bits, len(texts))


#: The blocks of :func:`count_blocks`, in order.
BLOCKS = ("word", "char", "lead")


def count_blocks(texts, word, char, bits, lowercase=True, lead=0):
    """``{block: (counts, indices, indptr)}`` for the word, character and lead n-grams
    separately (blocks whose range is None or ``lead`` 0 are left out), for features that
    weigh and normalize each block on its own."""
    batch = Batch(texts, lowercase)
    out = {}
    for name, spec in (("word", (word, None, 0)), ("char", (None, char, 0)), ("lead", (None, None, lead))):
        if spec == (None, None, 0):
            continue
        doc, col = occurrences(batch, *spec[:2], bits, lead=spec[2])
        out[name] = _csr(doc, col, bits, len(texts))
    return out


def _csr(doc, col, bits, n):
    keys = (doc.astype(np.uint64) << np.uint64(bits)) | col.astype(np.uint64)
    keys, counts = np.unique(keys, return_counts=True)
    indices = (keys & np.uint64((1 << bits) - 1)).astype(np.int32)
    rows = (keys >> np.uint64(bits)).astype(np.int64)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    return counts.astype(np.float64), indices, indptr


def ngram_names(text, word, char, bits, lowercase=True, lead=0):
    """The n-grams of one text as ``[(name, column), ...]`` (for explanations).

    Names are ``word:<token>``, ``word:<token> <token>`` or ``char:<n-gram>``; the
    ``char_wb`` padding space at a word's edge is shown as ``▁`` so that it is visible.
    """
    batch = Batch([text], lowercase)
    _, cols, spans = occurrences(batch, word, char, bits, explain=True, lead=lead)
    chars = batch.codes.tobytes().decode("utf-32-le", "surrogatepass")
    kinds = (["char"] * (char[1] - char[0] + 1) if char else []) + (
        (["word"] if word[0] <= 1 else []) + (["word"] if word[1] >= 2 else []) if word else []
    ) + (["lead"] if lead else [])
    out = []
    for kind, col, span in zip(kinds, cols, spans):
        for c, (s, length, *second) in zip(col.tolist(), span.tolist()):
            name = chars[s : s + length]
            if second:  # a word bigram: its two tokens, as TfidfVectorizer names it
                name += " " + chars[second[0] : second[0] + second[1]]
            elif kind == "char":
                name = name.replace(" ", "\u2581")
            out.append((f"{kind}:{name}", c))
    return out
