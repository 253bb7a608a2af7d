"""The hashed n-gram rows of :mod:`classify.features.ngrams`, for a few texts, in plain Python.

A one-sentence call spends more time importing numpy than classifying the sentence. For
short inputs the predictor counts n-grams here instead: the same n-grams, the same
64-bit polynomial hashes and the same buckets as the numpy module (which takes its
constants from this one), so the columns are identical;
``tests/test_features_pyngrams.py`` checks it on a sample of the corpus and on random text.
"""

_M = (1 << 64) - 1
#: The hash's constants, shared with :mod:`classify.features.ngrams`.
P = 0x100000001B3  # odd multiplier of the polynomial hash (the FNV prime)
P_INV = pow(P, -1, 1 << 64)
MIX = 0x9E3779B97F4A7C15  # odd: multiplying by it is a bijection mod 2**64
WORD_SALT = 0xD6E8FEB86659FD93
BIGRAM = 0xC2B2AE3D27D4EB4F
LEAD_SALT = 0x94D049BB133111EB


def _is_word_char(ch):
    # \w as Python's re reads it, in the Basic Multilingual Plane only (as the numpy table)
    return ord(ch) < 0x10000 and (ch.isalnum() or ch == "_")


def _hash(chars):
    h, power = 0, 1
    for ch in chars:
        h = (h + ord(ch) * power) & _M
        power = (power * P) & _M
    return h


def _runs(word):
    """Hashes of the runs of two or more word characters in one whitespace-free token."""
    out, start = [], None
    for i, ch in enumerate(word + " "):
        if i < len(word) and _is_word_char(ch):
            if start is None:
                start = i
        elif start is not None:
            if i - start >= 2:
                out.append(_hash(word[start:i]))
            start = None
    return out


def _add(row, h, salt, shift):
    col = (((h ^ salt) * MIX) & _M) >> shift
    row[col] = row.get(col, 0) + 1


def _text_blocks(text, word, char, shift, lowercase, lead):
    tokens = (text.lower() if lowercase else text).split()
    blocks = {"word": {}, "char": {}, "lead": {}}
    if char is not None:
        row = blocks["char"]
        for token in tokens:
            padded = " " + token + " "
            for n in range(char[0], char[1] + 1):
                for i in range(len(padded) - n + 1):
                    _add(row, _hash(padded[i:i + n]), n, shift)
    runs = [h for token in tokens for h in _runs(token)] if (word is not None or lead) else []
    if word is not None:
        row = blocks["word"]
        if word[0] <= 1:
            for h in runs:
                _add(row, h, WORD_SALT, shift)
        if word[1] >= 2:
            for a, b in zip(runs, runs[1:]):
                _add(row, (a * BIGRAM + b) & _M, WORD_SALT ^ BIGRAM, shift)
    for h in runs[:lead]:
        _add(blocks["lead"], h, LEAD_SALT, shift)
    return blocks


def count_block_rows(texts, word, char, bits, lowercase=True, lead=0, merged=False):
    """``{block: [{column: count}, ...]}`` per text: the rows of ``ngrams.count_blocks``
    (or, with ``merged``, ``{"all": rows}`` as ``ngrams.count_rows`` counts them)."""
    names = [name for name, on in (("word", word is not None), ("char", char is not None), ("lead", lead > 0)) if on]
    out = {"all": []} if merged else {name: [] for name in names}
    for text in texts:
        blocks = _text_blocks(text, word, char, 64 - bits, lowercase, lead)
        if merged:
            row = {}
            for name in names:
                for col, count in blocks[name].items():
                    row[col] = row.get(col, 0) + count
            out["all"].append(row)
        else:
            for name in names:
                out[name].append(blocks[name])
    return out
