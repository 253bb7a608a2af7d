"""Labelled corpora: reading them (TSV, CSV, JSONL, as a stream) and checking their quality."""

from .quality import check_corpus, format_check, near_duplicate_pairs
from .readers import (
    FORMATS,
    SPLITS,
    Corpus,
    bundled_article_path,
    bundled_corpus_path,
    check_trainable,
    file_sha256,
    iter_rows,
    read_corpus,
    write_corpus,
)

__all__ = [
    "FORMATS", "SPLITS", "Corpus", "bundled_article_path", "bundled_corpus_path", "check_corpus",
    "check_trainable", "file_sha256", "format_check", "iter_rows", "near_duplicate_pairs", "read_corpus",
    "write_corpus",
]
