"""Learning curve: test macro-F1 of the default pipeline against the number of training
sentences (whole documents drawn at random, five draws per size)."""

import numpy as np
from joblib import Parallel, delayed

import common
from classify.pipelines import make_pipeline

NAME = "learning_curve"
SIZES = [100, 200, 400, 800, 1600, 2400, 3200]
DRAWS = 5


def _draw(data, size, draw, seed):
    """Training indices: random whole docs of the train part until ``size`` sentences."""
    rng = np.random.default_rng(seed * 1000 + size * 10 + draw)
    docs = np.unique(data.doc[data.train])
    rng.shuffle(docs)
    chosen, total = [], 0
    counts = {d: n for d, n in zip(*np.unique(data.doc[data.train], return_counts=True))}
    for d in docs:
        if total >= size:
            break
        chosen.append(d)
        total += counts[d]
    return data.train[np.isin(data.doc[data.train], chosen)]


def _score(data, idx, seed):
    if len(set(data.labels[idx])) < 2:
        return float("nan")
    pipe = make_pipeline(random_state=seed, calibrate=False).fit(list(data.texts[idx]), data.labels[idx])
    return common.macro_f1(data.labels[data.test], pipe.predict(list(data.texts[data.test])))


def main(seed=0):
    data = common.Data()
    out = common.out_dir(NAME)
    jobs = [(size, d, _draw(data, size, d, seed)) for size in SIZES for d in range(DRAWS)]
    jobs.append((len(data.train), 0, data.train))
    common.log(f"{NAME}: {len(jobs)} fits")
    scores = Parallel(n_jobs=2)(delayed(_score)(data, idx, seed) for _, _, idx in jobs)
    rows = [{"target_size": s, "draw": d, "train_sentences": len(idx), "test_macro_f1": f}
            for (s, d, idx), f in zip(jobs, scores)]
    common.write_csv(out / "draws.csv", rows, ["target_size", "draw", "train_sentences", "test_macro_f1"])
    summary = []
    for size in SIZES + [len(data.train)]:
        part = [r for r in rows if r["target_size"] == size]
        f = np.array([r["test_macro_f1"] for r in part])
        summary.append({"train_sentences": int(np.mean([r["train_sentences"] for r in part])), "mean": f.mean(),
                        "sd": f.std(ddof=1) if len(f) > 1 else 0.0, "min": f.min(), "max": f.max()})
    common.write_csv(out / "learning_curve.csv", summary, ["train_sentences", "mean", "sd", "min", "max"])

    plt = common.plt()
    fig, ax = plt.subplots(figsize=(7, 4))
    x = [r["train_sentences"] for r in summary]
    m = np.array([r["mean"] for r in summary])
    sd = np.array([r["sd"] for r in summary])
    ax.plot(x, m, "o-", color="#4C72B0")
    ax.fill_between(x, m - sd, m + sd, alpha=0.25, color="#4C72B0", label="± sd over 5 draws")
    ax.set_xscale("log")
    ax.set_xlabel("training sentences (log scale)")
    ax.set_ylabel("test macro-F1")
    ax.set_title("Learning curve of the default pipeline")
    ax.legend()
    common.save_fig(fig, out / "learning_curve.png")

    half = next(r for r in summary if r["train_sentences"] >= len(data.train) / 2)
    text = f"""## 4. Learning curve

![learning curve](learning_curve/learning_curve.png)

{common.md_table(summary, ["train_sentences", "mean", "sd", "min", "max"], ["training sentences", "mean macro-F1", "sd", "min", "max"])}

With {summary[0]['train_sentences']} sentences the default reaches {summary[0]['mean']:.3f}; with
{half['train_sentences']} (about half the training part) {half['mean']:.3f}; with all {summary[-1]['train_sentences']},
{summary[-1]['mean']:.3f}. The curve is still rising at the right end
({summary[-1]['mean'] - summary[-2]['mean']:+.3f} over the last step), so more annotated sentences would help,
though with diminishing returns. Documents are drawn whole, so each point mixes whole events.
"""
    return common.write_summary(NAME, text)


if __name__ == "__main__":
    main(common.parse_args(__doc__).seed)
