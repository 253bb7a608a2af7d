"""Preprocessing ablation: raw text, each pyarabic normalization step off in turn, all on,
and a light stemmer (Tashaphyne) on top, with the default features and classifier.

Macro-F1 over 3 grouped stratified CV folds of the training part, and on the test split.
"""

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.pipeline import Pipeline

import common
from classify.pipelines import make_pipeline
from classify.normalization import STEP_NAMES

NAME = "preprocessing"


class LightStemmer(TransformerMixin, BaseEstimator):
    """Replace every word by its Tashaphyne light stem (prefixes and suffixes removed)."""

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        from tashaphyne.stemming import ArabicLightStemmer

        stemmer, cache = ArabicLightStemmer(), {}

        def stem(word):
            if word not in cache:
                cache[word] = stemmer.light_stem(word) or word
            return cache[word]

        return [" ".join(stem(w) for w in text.split()) for text in X]


def add_noise(texts, seed):
    """Scraped-text noise: diacritics on a third of the letters, tatweel, Arabic-Indic digits,
    hamza-less alefs and ya for alef maqsura, as careless or decorative typing leaves them."""
    rng = np.random.default_rng(seed)
    marks = "\u064e\u064f\u0650\u0651\u0652\u064b"
    swap = str.maketrans({"أ": "ا", "إ": "ا", "ى": "ي", **{str(d): chr(0x0660 + d) for d in range(10)}})
    out = []
    for text in texts:
        chars = []
        for ch in text.translate(swap) if rng.random() < 0.5 else text:
            chars.append(ch)
            if "\u0621" <= ch <= "\u064a":
                if rng.random() < 0.33:
                    chars.append(marks[rng.integers(len(marks))])
                elif rng.random() < 0.03:
                    chars.append("\u0640" * int(rng.integers(1, 4)))
        out.append("".join(chars))
    return out


def configs():
    yield "raw text (no normalization)", {name: False for name in STEP_NAMES}, False
    yield "all steps on (default)", {}, False
    for name in STEP_NAMES:
        yield f"without {name}", {name: False}, False
    yield "all on + Tashaphyne light stem", {}, True


def _pipeline(steps, stem, seed):
    pipe = make_pipeline(normalize=steps, random_state=seed, calibrate=False)
    if stem:
        pipe = Pipeline([pipe.steps[0], ("stem", LightStemmer()), *pipe.steps[1:]])
    return pipe


def _score(data, name, steps, stem, train_idx, test_idx, seed, noisy=None):
    pipe = _pipeline(steps, stem, seed).fit(list(data.texts[train_idx]), data.labels[train_idx])
    score = common.macro_f1(data.labels[test_idx], pipe.predict(list(data.texts[test_idx])))
    if noisy is None:
        return score
    return score, common.macro_f1(data.labels[test_idx], pipe.predict(noisy))


def main(seed=0):
    data = common.Data()
    out = common.out_dir(NAME)
    folds = common.cv_splits(data, n_splits=3, n_repeats=1, seed=seed)
    noisy = add_noise(data.texts[data.test], seed)
    cfgs = list(configs())
    common.log(f"{NAME}: {len(cfgs)} settings x {len(folds) + 1} fits")
    results = Parallel(n_jobs=2)(
        delayed(_score)(data, n, st, sm, tr, te, seed, noisy if tr is data.train else None)
        for n, st, sm in cfgs for tr, te in folds + [(data.train, data.test)]
    )
    per = len(folds) + 1
    rows = []
    for i, (n, _, _) in enumerate(cfgs):
        cv = np.array(results[i * per : i * per + len(folds)])
        test, noisy_test = results[i * per + len(folds)]
        rows.append({"setting": n, "cv_mean": cv.mean(), "cv_std": cv.std(ddof=1), "test_macro_f1": test,
                     "noisy_test_macro_f1": noisy_test})
    base = rows[1]["cv_mean"]
    for r in rows:
        r["delta_vs_default"] = r["cv_mean"] - base
    columns = ["setting", "cv_mean", "cv_std", "delta_vs_default", "test_macro_f1", "noisy_test_macro_f1"]
    common.write_csv(out / "ablation.csv", rows, columns)

    plt = common.plt()
    fig, ax = plt.subplots(figsize=(8, 5))
    y = np.arange(len(rows))
    colors = ["#C44E52" if r["delta_vs_default"] < -0.002 else "#55A868" if r["delta_vs_default"] > 0.002 else "#8C8C8C"
              for r in rows]
    ax.barh(y, [r["delta_vs_default"] for r in rows], xerr=[r["cv_std"] for r in rows], color=colors)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(y, [r["setting"] for r in rows], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("CV macro-F1 minus the default (all steps on); bars: ± fold sd")
    ax.set_title("Normalization steps, one at a time")
    common.save_fig(fig, out / "ablation.png")

    by = {r["setting"]: r for r in rows}
    raw = by["raw text (no normalization)"]
    stem = by["all on + Tashaphyne light stem"]
    single = [r for r in rows if r["setting"].startswith("without")]
    low, high = min(r["delta_vs_default"] for r in single), max(r["delta_vs_default"] for r in single)
    sd = by["all steps on (default)"]["cv_std"]
    text = f"""## 2. Preprocessing ablation

![ablation](preprocessing/ablation.png)

{common.md_table(rows, columns, ["setting", "CV mean", "CV sd", "Δ vs default", "test macro-F1", "noisy test macro-F1"])}

With every normalization step on, CV macro-F1 is {base:.3f}; on raw text it is {raw['cv_mean']:.3f}
({raw['delta_vs_default']:+.3f}). Turning off one step at a time moves CV macro-F1 by {low:+.3f} to {high:+.3f},
all inside the fold-to-fold spread (sd {sd:.3f}): on this clean, consistently spelled corpus, character n-grams
already absorb most of the variation each step removes. A Tashaphyne light stemmer on
top changes CV macro-F1 by {stem['delta_vs_default']:+.3f}, so the package does not stem.

The corpus is fairly clean, so the last column repeats the test with scraped-text noise injected into the test
sentences only (diacritics on a third of the letters, tatweel, Arabic-Indic digits, hamza-less alefs; seeded).
There normalization earns its place: all steps on scores {by['all steps on (default)']['noisy_test_macro_f1']:.3f},
raw text {raw['noisy_test_macro_f1']:.3f}, and without diacritic stripping
{by['without strip_diacritics']['noisy_test_macro_f1']:.3f}.
"""
    return common.write_summary(NAME, text)


if __name__ == "__main__":
    main(common.parse_args(__doc__).seed)
