"""The bundled corpus meets its datasheet's promises (issue: hand-annotated corpus)."""

import subprocess
import sys
from collections import Counter
from pathlib import Path

from classify.corpus import check_corpus, near_duplicate_pairs
from classify.labels import LABELS
from classify.sentences import split_sentences

ROOT = Path(__file__).resolve().parents[1]


def test_size_and_balance(corpus):
    assert len(corpus) >= 3000
    counts = Counter(corpus.labels)
    assert set(counts) == set(LABELS)
    assert min(counts.values()) >= 600


def test_conflicts_and_docs(corpus):
    conflicts = Counter(corpus.column("conflict"))
    assert len(conflicts) >= 12
    outside_arab_world = {"ukraine", "sahel", "myanmar", "ethiopia", "drc", "afghanistan", "karabakh", "lakechad", "mozambique"}
    assert len(outside_arab_world & set(conflicts)) >= 3
    for conflict in set(conflicts) - {"general"}:  # "general": newspaper content from no conflict
        labels = {r["label"] for r in corpus.rows if r["conflict"] == conflict}
        assert labels == set(LABELS), f"{conflict} lacks a label"


def test_schema(corpus):
    assert corpus.columns == ["id", "text", "label", "conflict", "doc", "split"]


def test_split_by_doc_about_a_fifth_and_stratified(corpus):
    splits = Counter(corpus.column("split"))
    assert 0.15 < splits["test"] / len(corpus) < 0.25
    for label in LABELS:
        rows = [r for r in corpus.rows if r["label"] == label]
        share = sum(r["split"] == "test" for r in rows) / len(rows)
        assert 0.12 < share < 0.28, label
    train_docs = {r["doc"] for r in corpus.rows if r["split"] == "train"}
    test_docs = {r["doc"] for r in corpus.rows if r["split"] == "test"}
    assert not train_docs & test_docs


def test_seed_article_is_gold_and_in_test(corpus, seed_article):
    seed = corpus.where(doc="syria-seed-alkompis")
    assert seed.texts == split_sentences(seed_article)
    assert set(seed.column("split")) == {"test"}


def test_no_near_duplicates_anywhere(corpus):
    pairs = near_duplicate_pairs(corpus.texts, threshold=0.8)
    shown = [(corpus.lines[i], corpus.lines[j], s) for i, j, s in pairs[:5]]
    assert not pairs, f"near-duplicate lines (5-gram Jaccard >= 0.8): {shown}"


def test_no_text_repeats_across_splits_and_check_passes(corpus):
    result = check_corpus(corpus)
    assert result["ok"], result["problems"][:5]


def test_corpus_and_datasheet_are_built_from_parts():
    out = subprocess.run([sys.executable, str(ROOT / "seeds" / "tools" / "build.py"), "--check"], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_realistic_lengths_and_noise(corpus):
    words = [len(t.split()) for t in corpus.texts]
    assert sum(w >= 25 for w in words) / len(words) > 0.2
    assert sum(w <= 8 for w in words) >= 50
    noisy = sum(any("\u064b" <= ch <= "\u0652" or ch == "\u0640" or "\u0660" <= ch <= "\u0669" for ch in t) for t in corpus.texts)
    assert noisy / len(corpus) > 0.05
