"""Classifier comparison: five scikit-learn classifiers, two dummy baselines and fastText.

All share the default features (hashed word 1-2-grams + char_wb n-grams of normalized
text); fastText (word bigrams + char 2-5 subwords) is the external peer, trained on the
same sentences. Macro-F1 over 5 grouped stratified CV folds of the training part,
test-split macro-F1 with a bootstrap 95% interval, and a paired bootstrap test of the
best system against each other one.
"""

import time

import numpy as np
from joblib import Parallel, delayed

import common
from classify.pipelines import BASELINES, CLASSIFIERS, DEFAULT_CLASSIFIER, make_classifier, make_pipeline

NAME = "classifiers"
SYSTEMS = list(CLASSIFIERS) + list(BASELINES) + ["fasttext"]


def _run_fold(data, train_idx, test_idx, seed):
    """Macro-F1 and timings of every system on one split (features fitted once)."""
    feats = make_pipeline()[:-1]
    t0 = time.perf_counter()
    Xtr = feats.fit_transform(list(data.texts[train_idx]))
    Xte = feats.transform(list(data.texts[test_idx]))
    feature_seconds = time.perf_counter() - t0
    ytr, yte = data.labels[train_idx], data.labels[test_idx]
    scores, preds, times = {}, {}, {}
    for name in SYSTEMS:
        t0 = time.perf_counter()
        if name == "fasttext":
            model = common.fasttext_fit(data.texts[train_idx], ytr, seed)
            t1 = time.perf_counter()
            pred = common.fasttext_predict(model, data.texts[test_idx])
            fit_s, pred_s = t1 - t0, time.perf_counter() - t1
        else:
            clf = make_classifier(name, random_state=seed, calibrate=False).fit(Xtr, ytr)
            t1 = time.perf_counter()
            pred = clf.predict(Xte)
            fit_s, pred_s = t1 - t0 + feature_seconds, time.perf_counter() - t1
        scores[name] = common.macro_f1(yte, pred)
        preds[name] = np.asarray(pred, dtype=object)
        times[name] = (fit_s, pred_s)
    return scores, preds, times


def main(seed=0):
    data = common.Data()
    out = common.out_dir(NAME)
    folds = common.cv_splits(data, n_repeats=1, seed=seed)
    common.log(f"{NAME}: {len(folds)} CV folds x {len(SYSTEMS)} systems, then the test split")
    jobs = [(tr, te) for tr, te in folds] + [(data.train, data.test)]
    results = Parallel(n_jobs=2)(delayed(_run_fold)(data, tr, te, seed) for tr, te in jobs)
    cv, (test_scores, test_preds, test_times) = results[:-1], results[-1]

    fold_rows = [{"system": s, "fold": i, "macro_f1": r[0][s]} for i, r in enumerate(cv) for s in SYSTEMS]
    common.write_csv(out / "cv_folds.csv", fold_rows, ["system", "fold", "macro_f1"])

    yte = data.labels[data.test]
    best = max(SYSTEMS, key=lambda s: np.mean([r[0][s] for r in cv]))
    rows = []
    for s in SYSTEMS:
        cv_scores = np.array([r[0][s] for r in cv])
        low, high = common.bootstrap_ci(yte, test_preds[s], seed=seed)
        diff, p = (0.0, float("nan")) if s == best else common.paired_bootstrap_p(yte, test_preds[best], test_preds[s], seed=seed)
        rows.append({"system": s, "cv_mean": cv_scores.mean(), "cv_std": cv_scores.std(ddof=1),
                     "test_macro_f1": test_scores[s], "ci_low": low, "ci_high": high,
                     "best_minus_this": diff, "p_best_not_better": p})
    rows.sort(key=lambda r: -r["cv_mean"])
    columns = ["system", "cv_mean", "cv_std", "test_macro_f1", "ci_low", "ci_high", "best_minus_this", "p_best_not_better"]
    common.write_csv(out / "summary.csv", rows, columns)

    time_rows = [{"system": s, "fit_seconds": test_times[s][0], "predict_seconds": test_times[s][1]} for s in SYSTEMS]
    common.atomic_write_text(out / "timing.md", "Fit and predict seconds on the full training part / test split "
                             "(this machine, this run; not part of the deterministic tables).\n\n"
                             + common.md_table(time_rows, ["system", "fit_seconds", "predict_seconds"]) + "\n")

    plt = common.plt()
    fig, ax = plt.subplots(figsize=(8, 4.2))
    y = np.arange(len(rows))
    ax.barh(y - 0.2, [r["cv_mean"] for r in rows], 0.4, xerr=[r["cv_std"] for r in rows], label="CV mean ± sd (train part)",
            color="#4C72B0")
    ax.barh(y + 0.2, [r["test_macro_f1"] for r in rows], 0.4,
            xerr=[[r["test_macro_f1"] - r["ci_low"] for r in rows], [r["ci_high"] - r["test_macro_f1"] for r in rows]],
            label="test split, 95% bootstrap CI", color="#DD8452")
    ax.set_yticks(y, [r["system"] + (" (default)" if r["system"] == DEFAULT_CLASSIFIER else "") for r in rows])
    ax.invert_yaxis()
    ax.set_xlabel("macro-F1")
    ax.set_xlim(0, 1)
    ax.legend(loc="lower right", fontsize=8)
    ax.set_title("Classifiers on the same features, and fastText")
    common.save_fig(fig, out / "classifiers.png")

    by = {r["system"]: r for r in rows}
    ft, top = by["fasttext"], by[best]
    default = by[DEFAULT_CLASSIFIER]
    text = f"""## 1. Classifier comparison

![classifiers](classifiers/classifiers.png)

{common.md_table(rows, columns[:6], ["system", "CV mean", "CV sd", "test macro-F1", "CI low", "CI high"])}

The best system in cross-validation is **{best}** (CV macro-F1 {top['cv_mean']:.3f} ± {top['cv_std']:.3f}, test
{top['test_macro_f1']:.3f}). The linear classifiers are within a few hundredths of each other; the
package default, {DEFAULT_CLASSIFIER}, scores {default['cv_mean']:.3f} in CV and {default['test_macro_f1']:.3f} on test.
fastText reaches {ft['test_macro_f1']:.3f} on test, {top['test_macro_f1'] - ft['test_macro_f1']:+.3f} from the best
(paired bootstrap p = {ft['p_best_not_better']:.3f} that the best is not better). Dummy baselines stay near chance
(majority {by['majority']['test_macro_f1']:.3f}, stratified {by['stratified']['test_macro_f1']:.3f}).
Per-fold scores: `classifiers/cv_folds.csv`; p-values for every pair with the best: `classifiers/summary.csv`;
fit and predict times: `classifiers/timing.md`.
"""
    return common.write_summary(NAME, text)


if __name__ == "__main__":
    main(common.parse_args(__doc__).seed)
