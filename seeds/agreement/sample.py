"""Draw the agreement sample: 400 random sentences, without their labels.

    python seeds/agreement/sample.py     # writes seeds/agreement/sample.tsv

The second annotator sees, for each sentence, its conflict and the sentence before it in
its article (the guidelines ask annotators to read a sentence in context), never the
first label. The seed article is left out (its labels are in the guidelines).

The committed sample.tsv was drawn from the corpus as it stood at 4,609 sentences; the
corpus has grown since, so running this again draws a different sample (and overwrites
sample.tsv, which annotator1.tsv and annotator2.tsv refer to). Use --out to write elsewhere.

The round-4 study drew its sample with

    python seeds/agreement/sample.py --size 320 --seed 13 --round r4 --out seeds/agreement/round4/sample.tsv

(320 of the round's sentences; ``--round r4`` keeps docs whose id holds ``-r4``) and froze the
corpus labels of those sentences in ``round4/annotator1.tsv``.
"""

import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from classify.corpus import read_corpus  # noqa: E402

SIZE, SEED = 400, 7


def main():
    import argparse

    parser = argparse.ArgumentParser(description="draw the agreement sample")
    parser.add_argument("--out", default=str(HERE / "sample.tsv"))
    parser.add_argument("--size", type=int, default=SIZE)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--round", help="only docs whose id contains -<ROUND> (e.g. r4)")
    parser.add_argument("--freeze", action="store_true", help="also write annotator1.tsv beside the sample")
    args = parser.parse_args()
    out = Path(args.out)
    corpus = read_corpus(HERE.parent / "corpus.tsv")
    rows = corpus.rows
    previous = {}
    for before, row in zip([None] + rows[:-1], rows):
        previous[row["id"]] = before["text"] if before and before["doc"] == row["doc"] else ""
    pool = [r for r in rows if r["doc"] != "syria-seed-alkompis" and (not args.round or f"-{args.round}" in r["doc"])]
    sample = random.Random(args.seed).sample(pool, args.size)
    lines = ["id\tconflict\tprevious_sentence\ttext"]
    lines += [f"{r['id']}\t{r['conflict']}\t{previous[r['id']]}\t{r['text']}" for r in sample]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if args.freeze:
        frozen = ["id\tlabel"] + [f"{r['id']}\t{r['label']}" for r in sample]
        (out.parent / "annotator1.tsv").write_text("\n".join(frozen) + "\n", encoding="utf-8")
    print(f"wrote {len(sample)} sentences to {out}")


if __name__ == "__main__":
    main()
