"""Draw the agreement sample: 400 random sentences, without their labels.

    python seeds/agreement/sample.py     # writes seeds/agreement/sample.tsv

The second annotator sees, for each sentence, its conflict and the sentence before it in
its article (the guidelines ask annotators to read a sentence in context), never the
first label. The seed article is left out (its labels are in the guidelines).
"""

import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from classify.corpus import read_corpus  # noqa: E402

SIZE, SEED = 400, 7


def main():
    corpus = read_corpus(HERE.parent / "corpus.tsv")
    rows = corpus.rows
    previous = {}
    for before, row in zip([None] + rows[:-1], rows):
        previous[row["id"]] = before["text"] if before and before["doc"] == row["doc"] else ""
    pool = [r for r in rows if r["doc"] != "syria-seed-alkompis"]
    sample = random.Random(SEED).sample(pool, SIZE)
    lines = ["id\tconflict\tprevious_sentence\ttext"]
    lines += [f"{r['id']}\t{r['conflict']}\t{previous[r['id']]}\t{r['text']}" for r in sample]
    (HERE / "sample.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {SIZE} sentences to sample.tsv")


if __name__ == "__main__":
    main()
