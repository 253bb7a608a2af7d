from collections import Counter

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from classify.features import TOKEN_PATTERN
from classify.features import HashingArabicTfidf
from classify.normalization import normalize


def test_same_ngrams_as_scikit_learn_on_the_corpus(corpus):
    """The hashed features are exactly TfidfVectorizer's n-grams, only in hash buckets."""
    feats = HashingArabicTfidf(word_ngram_range=(1, 2), char_ngram_range=(2, 5))
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5)).build_analyzer()
    words = TfidfVectorizer(ngram_range=(1, 2), token_pattern=TOKEN_PATTERN).build_analyzer()
    for text in corpus.texts[::3]:
        t = normalize(text)
        mine = Counter(name.replace("\u2581", " ") for name, _ in feats.ngrams(t))  # ▁ marks the padding
        ref = Counter("char:" + g for g in chars(t)) + Counter("word:" + g for g in words(t))
        assert mine == ref, text


def test_tfidf_rows_and_consistency(corpus):
    texts = [normalize(t) for t in corpus.texts[:400]]
    feats = HashingArabicTfidf(n_features=2**18)
    X = feats.fit_transform(texts)
    assert X.shape == (400, 2**18) and X.dtype == np.float32
    np.testing.assert_allclose(np.sqrt(X.multiply(X).sum(axis=1)).A1, 1.0, rtol=1e-5)
    Y = feats.transform(texts)
    assert abs(X - Y).max() < 1e-6
    chunked = HashingArabicTfidf(n_features=2**18, batch_size=7).fit(texts).transform(texts)
    assert abs(chunked - Y).max() < 1e-6


def test_columns_agree_with_ngrams():
    feats = HashingArabicTfidf(n_features=2**16).fit(["قصف مدفعي على الحي"])
    X = feats.transform(["قصف مدفعي على الحي"])
    assert set(X.indices.tolist()) == {col for _, col in feats.ngrams("قصف مدفعي على الحي")}


def test_awkward_text_does_not_crash():
    texts = ["", "   ", "\ud800 lone surrogate", "😀 emoji", "x", "a\u0000b", "قصف" * 1000]
    X = HashingArabicTfidf(n_features=2**12).fit_transform(texts)
    assert X.shape[0] == len(texts)
    assert X[0].nnz == 0 and X[1].nnz == 0
    assert np.isfinite(X.data).all()


@pytest.mark.parametrize(
    "params, message",
    [
        (dict(n_features=1000), "power of two"),
        (dict(word_ngram_range=(1, 3)), "up to bigrams"),
        (dict(word_ngram_range=None, char_ngram_range=None), "needs word_ngram_range"),
        (dict(batch_size=0), "batch_size"),
    ],
)
def test_invalid_parameters(params, message):
    with pytest.raises(ValueError, match=message):
        HashingArabicTfidf(**params).fit(["نص"])


def test_blocks_are_normalized_separately_and_weighted():
    texts = ["قصف الجيش المدينة اليوم بالمدفعية الثقيلة", "فر السكان من البلدة"]
    feats = HashingArabicTfidf(n_features=2**14, lead_words=3, block_weights=(1.0, 1.0, 0.5)).fit(texts)
    assert feats.blocks == {"word": 1.0, "char": 1.0, "lead": 0.5}
    squared = np.asarray(feats.transform(texts).multiply(feats.transform(texts)).sum(axis=1)).ravel()
    np.testing.assert_allclose(squared, 1 + 1 + 0.25, rtol=1e-3)  # three unit blocks, one at weight 0.5
    names = {n for n, _ in feats.ngrams(texts[0])}
    assert {"lead:قصف", "lead:الجيش", "lead:المدينه"} <= names or {"lead:قصف", "lead:الجيش"} <= names


@pytest.mark.parametrize("weights", [(1, 1), (1, -1, 1), "abc"])
def test_bad_block_weights(weights):
    with pytest.raises(ValueError, match="block_weights"):
        HashingArabicTfidf(block_weights=weights).fit(["نص"])
