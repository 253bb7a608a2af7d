"""Draw the agreement sample: 400 random sentences, without their labels.

    python seeds/agreement/sample.py     # writes seeds/agreement/sample.tsv

The second annotator sees, for each sentence, its conflict and the sentence before it in
its article (the guidelines ask annotators to read a sentence in context), never the
first label. The seed article is left out (its labels are in the guidelines).

The committed sample.tsv was drawn from the corpus as it stood at 4,609 sentences; the
corpus has grown since, so running this again draws a different sample (and overwrites
sample.tsv, which annotator1.tsv and annotator2.tsv refer to). Use --out to write elsewhere.
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
    out = Path(parser.parse_args().out)
    corpus = read_corpus(HERE.parent / "corpus.tsv")
    rows = corpus.rows
    previous = {}
    for before, row in zip([None] + rows[:-1], rows):
        previous[row["id"]] = before["text"] if before and before["doc"] == row["doc"] else ""
    pool = [r for r in rows if r["doc"] != "syria-seed-alkompis"]
    sample = random.Random(SEED).sample(pool, SIZE)
    lines = ["id\tconflict\tprevious_sentence\ttext"]
    lines += [f"{r['id']}\t{r['conflict']}\t{previous[r['id']]}\t{r['text']}" for r in sample]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {SIZE} sentences to {out}")


if __name__ == "__main__":
    main()
