"""Errors of the default model: confusion matrices and per-class scores on the test split
and on the seed article, and the most confident mistakes."""

import numpy as np

import common
import classify
from classify.labels import LABELS
from classify.metrics import evaluation_report

NAME = "errors"


def _confusion_plot(ax, report, title):
    labels = list(report["per_class"])
    m = np.array([[report["confusion"][t][p] for p in labels] for t in labels])
    ax.imshow(m, cmap="Blues")
    for i in range(len(labels)):
        for j in range(len(labels)):
            ax.text(j, i, m[i, j], ha="center", va="center", color="white" if m[i, j] > m.max() / 2 else "black")
    short = [label.replace("_", "\n") for label in labels]
    ax.set_xticks(range(len(labels)), short, fontsize=8)
    ax.set_yticks(range(len(labels)), short, fontsize=8)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(f"{title}\nmacro-F1 {report['macro_f1']:.3f}, n = {report['n']}", fontsize=10)


def main(seed=0):
    data = common.Data()
    out = common.out_dir(NAME)
    common.log(f"{NAME}: training the default model")
    model = classify.train(data.corpus, random_state=seed)
    reports = {}
    for part, idx in (("test", data.test), ("seed_article", data.seed)):
        texts = list(data.texts[idx])
        reports[part] = evaluation_report(data.labels[idx], model.predict(texts))
    rows = [{"part": part, "label": label, **r["per_class"][label]} for part, r in reports.items() for label in r["per_class"]]
    rows += [{"part": part, "label": "macro avg", "precision": float(np.mean([c["precision"] for c in r["per_class"].values()])),
              "recall": float(np.mean([c["recall"] for c in r["per_class"].values()])), "f1": r["macro_f1"],
              "support": r["n"]} for part, r in reports.items()]
    columns = ["part", "label", "precision", "recall", "f1", "support"]
    common.write_csv(out / "per_class.csv", rows, columns)
    conf_rows = [{"part": part, "true": t, **{p: r["confusion"][t].get(p, 0) for p in LABELS}}
                 for part, r in reports.items() for t in r["confusion"]]
    common.write_csv(out / "confusion.csv", conf_rows, ["part", "true", *LABELS])

    texts = list(data.texts[data.test])
    preds = model.predict_sentences(texts)
    mistakes = [{"id": data.corpus.rows[i]["id"], "conflict": data.conflict[i], "true": data.labels[i], "predicted": p.label,
                 "score": p.score, "text": p.text} for i, p in zip(data.test, preds) if p.label != data.labels[i]]
    mistakes.sort(key=lambda r: (-r["score"], r["id"]))
    common.write_csv(out / "confident_mistakes.csv", mistakes[:25], ["id", "conflict", "true", "predicted", "score", "text"])
    seed_preds = model.predict_sentences(list(data.texts[data.seed]))
    seed_rows = [{"n": k + 1, "true": data.labels[i], "predicted": p.label, "score": p.score, "text": p.text}
                 for k, (i, p) in enumerate(zip(data.seed, seed_preds))]
    common.write_csv(out / "seed_article.csv", seed_rows, ["n", "true", "predicted", "score", "text"])

    plt = common.plt()
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.6))
    _confusion_plot(axes[0], reports["test"], "test split")
    _confusion_plot(axes[1], reports["seed_article"], "seed article (Alkompis, Dec 2024)")
    common.save_fig(fig, out / "confusion.png")

    pairs = {}
    for m in mistakes:
        pairs[(m["true"], m["predicted"])] = pairs.get((m["true"], m["predicted"]), 0) + 1
    (t_top, p_top), n_top = max(pairs.items(), key=lambda kv: (kv[1], kv[0]))
    wrong_seed = [r for r in seed_rows if r["true"] != r["predicted"]]
    shown = "\n".join(f"| {m['true']} | {m['predicted']} | {m['score']:.2f} | {m['text'][:160]} |" for m in mistakes[:8])
    seed_wrong = "\n".join(f"| {r['n']} | {r['true']} | {r['predicted']} | {r['text'][:120]} |" for r in wrong_seed)
    text = f"""## 5. Errors

![confusion](errors/confusion.png)

{common.md_table([r for r in rows if r['part'] == 'test'], columns[1:], ["label", "precision", "recall", "F1", "support"])}

On the test split the default reaches macro-F1 {reports['test']['macro_f1']:.3f}. The most frequent confusion is
true `{t_top}` predicted as `{p_top}` ({n_top} sentences). On the seed article (21 sentences of real news it never
saw) macro-F1 is {reports['seed_article']['macro_f1']:.3f}, from {len(wrong_seed)} errors in 21 sentences. They are the
guidelines' hard cases: Hezbollah and Israel acting in Syria (foreign there, principal parties in the Lebanon and Gaza
parts of the corpus), an actor left implicit in the sentence, a foreign network relaying a domestic operation, and
background. A bag of n-grams cannot see which conflict a sentence is about; that is the next thing to add.

| # | true | predicted | sentence |
|---|---|---|---|
{seed_wrong}

The most confident mistakes on the test split (all 25 in `errors/confident_mistakes.csv`):

| true | predicted | score | sentence |
|---|---|---|---|
{shown}
"""
    return common.write_summary(NAME, text)


if __name__ == "__main__":
    main(common.parse_args(__doc__).seed)
