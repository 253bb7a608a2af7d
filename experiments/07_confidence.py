"""Confidence: is the default model's score a probability one can act on?

Reliability diagram of the top score on the test split (temperature-calibrated ridge,
the default, against the same ridge with a plain softmax of its decision values), and
accuracy against coverage when the model abstains below a score threshold.
"""

import numpy as np

import common
import classify
from classify.model import Model
from classify.pipelines import make_pipeline

NAME = "confidence"
BINS = 10


def reliability(scores, correct):
    edges = np.linspace(0, 1, BINS + 1)
    which = np.clip(np.digitize(scores, edges[1:-1]), 0, BINS - 1)
    rows, ece = [], 0.0
    for b in range(BINS):
        mask = which == b
        if mask.any():
            conf, acc = scores[mask].mean(), correct[mask].mean()
            ece += mask.mean() * abs(conf - acc)
            rows.append({"bin_low": edges[b], "bin_high": edges[b + 1], "n": int(mask.sum()), "mean_score": conf,
                         "accuracy": acc})
    return rows, ece


def main(seed=0):
    data = common.Data()
    out = common.out_dir(NAME)
    common.log(f"{NAME}: calibrated and uncalibrated default model")
    texts, y = list(data.texts[data.test]), data.labels[data.test]
    calibrated = classify.train(data.corpus, random_state=seed)
    plain = Model(make_pipeline(random_state=seed, calibrate=False).fit(list(data.texts[data.train]), data.labels[data.train]))
    curves = {}
    for name, model in (("calibrated (default)", calibrated), ("plain softmax", plain)):
        s = model.scores(texts)
        pred = np.asarray(model.labels, dtype=object)[s.argmax(axis=1)]
        curves[name] = (s.max(axis=1), pred == y)
    rows = []
    eces = {}
    for name, (score, correct) in curves.items():
        part, eces[name] = reliability(score, correct)
        rows += [{"model": name, **r} for r in part]
    common.write_csv(out / "reliability.csv", rows, ["model", "bin_low", "bin_high", "n", "mean_score", "accuracy"])

    score, correct = curves["calibrated (default)"]
    cov_rows = []
    for threshold in np.round(np.arange(0.0, 1.0, 0.05), 2):
        keep = score >= threshold
        cov_rows.append({"threshold": float(threshold), "coverage": keep.mean(),
                         "accuracy": correct[keep].mean() if keep.any() else float("nan"),
                         "macro_f1_kept": common.macro_f1(y[keep], np.asarray(
                             [calibrated.labels[i] for i in calibrated.scores([t for t, k in zip(texts, keep) if k]).argmax(1)],
                             dtype=object)) if keep.any() else float("nan")})
    common.write_csv(out / "coverage.csv", cov_rows, ["threshold", "coverage", "accuracy", "macro_f1_kept"])

    plt = common.plt()
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.5))
    ax = axes[0]
    ax.plot([0, 1], [0, 1], "--", color="gray", lw=1, label="perfect calibration")
    for name, color in (("calibrated (default)", "#4C72B0"), ("plain softmax", "#DD8452")):
        part = [r for r in rows if r["model"] == name]
        ax.plot([r["mean_score"] for r in part], [r["accuracy"] for r in part], "o-", color=color,
                label=f"{name}, ECE {eces[name]:.3f}")
    ax.set_xlabel("mean top score in bin")
    ax.set_ylabel("accuracy in bin")
    ax.set_title("Reliability on the test split")
    ax.legend(fontsize=8)
    ax = axes[1]
    ax.plot([r["coverage"] for r in cov_rows], [r["accuracy"] for r in cov_rows], "o-", color="#4C72B0")
    for r in (r for r in cov_rows if r["threshold"] in (0.4, 0.6, 0.8, 0.9)):
        ax.annotate(f"≥{r['threshold']:.2f}", (r["coverage"], r["accuracy"]), fontsize=7, xytext=(3, -10),
                    textcoords="offset points")
    ax.set_xlabel("coverage (share of sentences labelled)")
    ax.set_ylabel("accuracy on the labelled ones")
    ax.set_title("Abstaining below a score threshold")
    ax.invert_xaxis()
    common.save_fig(fig, out / "confidence.png")

    at = {r["threshold"]: r for r in cov_rows}
    text = f"""## 7. Confidence

![confidence](confidence/confidence.png)

| threshold | coverage | accuracy | macro-F1 of kept |
|---|---|---|---|
""" + "\n".join(f"| {t:.2f} | {at[t]['coverage']:.3f} | {at[t]['accuracy']:.3f} | {at[t]['macro_f1_kept']:.3f} |"
                 for t in (0.0, 0.5, 0.7, 0.8, 0.9)) + f"""

Ridge has no probabilities of its own; a plain softmax of its decision values is badly calibrated (expected
calibration error {eces['plain softmax']:.3f}: its scores are far too flat). The default wraps it in temperature
scaling fitted on out-of-fold decision values, which brings the error to {eces['calibrated (default)']:.3f} without
changing a single prediction, so a score of 0.9 means about 90% right. Abstaining below 0.8 keeps
{at[0.8]['coverage']:.0%} of the test sentences at {at[0.8]['accuracy']:.1%} accuracy (all sentences:
{at[0.0]['accuracy']:.1%}); `classify predict --format jsonl` gives the score of every sentence to filter on.
"""
    return common.write_summary(NAME, text)


if __name__ == "__main__":
    main(common.parse_args(__doc__).seed)
