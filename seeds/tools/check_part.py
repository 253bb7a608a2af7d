"""Check one part file before it joins the corpus.

    python seeds/tools/check_part.py seeds/parts/iraq.r4.tsv

Reports, with the part file's line numbers: rows that the sentence splitter would cut in
two (a corpus row is one sentence), doc ids not prefixed by the conflict, docs with a
single sentence, exact and near duplicates (character 5-gram Jaccard >= 0.8) inside the
part and against every other part, and the label counts. Exit 1 if any problem is found.
"""

import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(HERE.parent))

from classify.corpus import near_duplicate_pairs  # noqa: E402
from classify.corpus import read_corpus  # noqa: E402
from classify.normalization import normalize  # noqa: E402
from classify.sentences import split_sentences  # noqa: E402


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print(__doc__)
        return 2
    path = Path(argv[0]).resolve()
    part = read_corpus(path)
    conflict = path.stem.split(".")[0]
    problems = []
    for row, line in zip(part.rows, part.lines):
        pieces = split_sentences(row["text"])
        if len(pieces) != 1:
            problems.append(f"{line}: the splitter makes {len(pieces)} sentences of this row")
        if not row["doc"].startswith(conflict + "-"):
            problems.append(f"{line}: doc {row['doc']!r} should start with {conflict + '-'!r}")
    docs = Counter(part.column("doc"))
    for doc, n in docs.items():
        if n < 2:
            problems.append(f"doc {doc}: only one sentence")
    others, where = [], []
    for other in sorted((HERE / "parts").glob("*.tsv")):
        if other.resolve() == path:
            continue
        corpus = read_corpus(other)
        others += corpus.texts
        where += [f"{other.name}:{line}" for line in corpus.lines]
    own = part.texts
    texts = own + others
    seen = {}
    for i, t in enumerate(texts):
        key = normalize(t)
        if key in seen and (i < len(own) or seen[key] < len(own)):
            problems.append(f"exact duplicate: {_where(seen[key], part, where)} and {_where(i, part, where)}")
        seen.setdefault(key, i)
    for i, j, s in near_duplicate_pairs(texts, threshold=0.8):
        if i < len(own):
            problems.append(f"near duplicate ({s:.2f}): {_where(i, part, where)} and {_where(j, part, where)}")
    ids = set(docs)
    for other in sorted((HERE / "parts").glob("*.tsv")):
        if other.resolve() != path:
            clash = ids & set(read_corpus(other).column("doc"))
            if clash:
                problems.append(f"doc ids also used in {other.name}: {sorted(clash)[:5]}")
    counts = Counter(part.labels)
    print(f"{path.name}: {len(part)} sentences, {len(docs)} docs; " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    for p in problems:
        print(f"{path.name}:{p}" if p[0].isdigit() else p)
    print("ok" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


def _where(i, part, where):
    return f"{Path(part.path).name}:{part.lines[i]}" if i < len(part.lines) else where[i - len(part.lines)]


if __name__ == "__main__":
    sys.exit(main())
