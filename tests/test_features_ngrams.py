import numpy as np

from classify.features.ngrams import count_rows, ngram_names


def test_counts_are_sorted_csr_rows_and_repeat_counts_add_up():
    data, indices, indptr = count_rows(["قصف قصف", "", "فر السكان"], (1, 1), None, 12)
    assert list(np.diff(indptr)) == [1, 0, 2]
    assert data[0] == 2  # the same word twice is one column counted twice
    row = indices[indptr[2]:indptr[3]]
    assert list(row) == sorted(row)


def test_names_show_word_boundaries():
    names = [n for n, _ in ngram_names("قصف", None, (3, 3), 12)]
    assert names == ["char:▁قص", "char:قصف", "char:صف▁"]


def test_no_import_of_scikit_learn_or_scipy():
    import subprocess
    import sys

    code = "import sys, classify.features.ngrams, classify.features.weighting, classify.normalization; " \
           "print(any(m.split('.')[0] in ('sklearn', 'scipy') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "False", out.stderr


def test_word_characters_are_exactly_what_re_calls_word_characters():
    import re

    import numpy as np

    from classify.features.ngrams import word_chars

    expected = [bool(re.match(r"\w", chr(c))) for c in range(0x10000)]
    assert word_chars(np.arange(0x10000, dtype=np.uint32)).tolist() == expected
    assert word_chars(np.array([0x1F600, 0x41], dtype=np.uint32)).tolist() == [False, True]
