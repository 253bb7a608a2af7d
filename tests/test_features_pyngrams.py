from hypothesis import given, settings, strategies as st

from classify.features import ngrams, pyngrams
from classify.normalization import enabled_steps, normalize_all

SPEC = dict(word=(1, 2), char=(3, 5), bits=18, lowercase=True, lead=6)


def _same(texts, merged):
    py = pyngrams.count_block_rows(texts, **SPEC, merged=merged)
    arrays = {"all": ngrams.count_rows(texts, **SPEC)} if merged else ngrams.count_blocks(texts, **SPEC)
    assert sorted(py) == sorted(arrays)
    for name, (counts, indices, indptr) in arrays.items():
        for i, row in enumerate(py[name]):
            a, b = indptr[i], indptr[i + 1]
            assert dict(zip(indices[a:b].tolist(), counts[a:b].tolist())) == row, (name, texts[i])


def test_same_buckets_and_counts_as_numpy_on_corpus_sentences(corpus):
    texts = normalize_all(corpus.texts[::25], enabled_steps())
    _same(texts, merged=False)
    _same(texts, merged=True)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from("قال الجيش_ab1 \t\n٣ـ\u064e\U0001d400AÉ"), max_size=30), max_size=5))
def test_same_as_numpy_on_any_text(texts):
    _same(texts, merged=False)
    _same(texts, merged=True)


def test_word_only_and_char_only_specs():
    texts = ["تقدمت القوات نحو المدينة", "x"]
    for word, char, lead in (((1, 1), None, 0), (None, (2, 4), 0), ((2, 2), None, 3)):
        py = pyngrams.count_block_rows(texts, word, char, 16, True, lead)
        arrays = ngrams.count_blocks(texts, word, char, 16, True, lead)
        assert sorted(py) == sorted(arrays)
        for name, (counts, indices, indptr) in arrays.items():
            assert dict(zip(indices[:indptr[1]].tolist(), counts[:indptr[1]].tolist())) == py[name][0]
