"""Corpus quality checks: duplicates, near-duplicates, split leakage, label coverage."""

from collections import Counter, defaultdict

import numpy as np

from ..labels import LABELS
from ..normalization import normalize
from .readers import SPLITS, read_corpus


def near_duplicate_pairs(texts, threshold=0.8, n=5, block=1024, against=None):
    """Pairs (i, j, jaccard) whose character n-gram sets have Jaccard >= threshold.

    Without ``against``: pairs inside ``texts``, i < j. With ``against`` (another list of
    texts): pairs (i in texts, j in against), e.g. to show that no evaluation sentence
    leaked into a training corpus. Texts are normalized first, so copies that differ only
    in diacritics, tatweel or digit forms are caught. Work is done in row blocks, so memory
    grows with ``block * len(texts)``, not with the square of the corpus.
    """
    from sklearn.feature_extraction.text import CountVectorizer

    norm = [normalize(t) for t in texts]
    other = norm if against is None else [normalize(t) for t in against]
    vec = CountVectorizer(analyzer="char", ngram_range=(n, n), binary=True, lowercase=False, dtype=np.int32)
    try:
        vec.fit(norm + ([] if against is None else other))
    except ValueError:  # every text shorter than n characters
        return []
    X = vec.transform(norm).tocsr()
    Y = X if against is None else vec.transform(other).tocsr()
    sizes = np.asarray(X.sum(axis=1)).ravel()
    other_sizes = np.asarray(Y.sum(axis=1)).ravel()
    YT = Y.T.tocsc()
    pairs = []
    for start in range(0, X.shape[0], block):
        inter = (X[start : start + block] @ YT).tocoo()
        rows = inter.row + start
        keep = rows < inter.col if against is None else np.ones(len(rows), dtype=bool)
        i, j, k = rows[keep], inter.col[keep], inter.data[keep]
        jac = k / np.maximum(sizes[i] + other_sizes[j] - k, 1)
        for a, b, s in zip(i[jac >= threshold], j[jac >= threshold], jac[jac >= threshold]):
            pairs.append((int(a), int(b), round(float(s), 3)))
    return sorted(pairs)


def check_corpus(path_or_corpus, near_threshold=0.8):
    """Check a corpus; returns a dict with ``ok``, counts and a list of ``problems``.

    Reading errors (schema, labels, encoding, duplicate ids) raise
    :class:`~classify.errors.InputError` from :func:`read_corpus`; this function adds
    the checks that need the whole file.
    """
    corpus = read_corpus(path_or_corpus) if not hasattr(path_or_corpus, "rows") else path_or_corpus
    problems = []

    def problem(kind, line, message):
        problems.append({"kind": kind, "line": line, "message": message})

    texts, lines = corpus.texts, corpus.lines
    keys = [normalize(t) for t in texts]  # duplicates are judged on normalized text
    first = {}
    for key, line in zip(keys, lines):
        if key in first:
            problem("duplicate", line, f"same text as line {first[key]} (after normalization)")
        else:
            first[key] = line
    for i, j, score in near_duplicate_pairs(texts, threshold=near_threshold):
        if keys[i] != keys[j]:
            problem("near_duplicate", lines[j], f"near-duplicate of line {lines[i]} (5-gram Jaccard {score:.2f})")

    splits = corpus.column("split")
    if any(s is not None for s in splits):
        doc_splits = defaultdict(set)
        doc_line = {}
        for doc, s, line in zip(corpus.column("doc"), splits, lines):
            if doc:
                doc_splits[doc].add(s)
                doc_line.setdefault((doc, s), line)
        for doc, found in sorted(doc_splits.items()):
            if len(found & set(SPLITS)) > 1:
                problem("leakage", doc_line[(doc, "test")], f"doc {doc!r} has rows in both train and test")
        seen = defaultdict(set)
        for key, s in zip(keys, splits):
            seen[key].add(s)
        for key, s, line in zip(keys, splits, lines):
            if s == "test" and "train" in seen[key]:
                problem("leakage", line, "text also appears in the train split")

    counts = {
        "labels": dict(Counter(corpus.labels)),
        "splits": dict(Counter(s for s in splits if s is not None)),
        "conflicts": dict(Counter(c for c in corpus.column("conflict") if c is not None)),
        "docs": len({d for d in corpus.column("doc") if d}),
    }
    for label in LABELS:
        if label not in counts["labels"]:
            problem("coverage", None, f"no sentence has label {label!r}")
    problems.sort(key=lambda p: (p["line"] or 0, p["kind"]))
    return {"path": corpus.path, "rows": len(corpus), "ok": not problems, "counts": counts, "problems": problems}


def format_check(result):
    out = [f"{result['path']}: {result['rows']} rows, {result['counts']['docs']} docs"]
    for name in ("labels", "splits", "conflicts"):
        if result["counts"][name]:
            out.append(f"  {name}: " + ", ".join(f"{k} {v}" for k, v in sorted(result["counts"][name].items())))
    for p in result["problems"]:
        where = f"{result['path']}:{p['line']}" if p["line"] else result["path"]
        out.append(f"{where}: {p['kind']}: {p['message']}")
    out.append("ok" if result["ok"] else f"{len(result['problems'])} problem(s)")
    return "\n".join(out)
