"""Feature extraction: hashed TF-IDF (the default, :mod:`.hashing`) and exact-vocabulary TF-IDF
(:mod:`.vocabulary`), built on the numpy-only n-gram kernel (:mod:`.ngrams`) and weighting
(:mod:`.weighting`). The estimators are imported on first use, so the kernel can be used
without scikit-learn."""

import importlib

_EXPORTS = {"HashingArabicTfidf": "hashing", "ArabicTfidf": "vocabulary", "TOKEN_PATTERN": "vocabulary"}
__all__ = sorted(_EXPORTS)


def __getattr__(name):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'classify.features' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    globals()[name] = value
    return value
