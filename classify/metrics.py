"""Evaluation metrics, as plain dicts that print as text and serialize as JSON."""

from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support

from .labels import LABELS


def evaluation_report(y_true, y_pred, labels=LABELS):
    """Accuracy, macro-F1, per-class precision/recall/F1/support and the confusion matrix.

    ``labels`` fixes the order; labels absent from both ``y_true`` and ``y_pred`` are
    left out so that a small test set does not average in empty classes.
    """
    y_true, y_pred = list(y_true), list(y_pred)
    present = set(y_true) | set(y_pred)
    labels = [label for label in labels if label in present]
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    cm = confusion_matrix(y_true, y_pred, labels=labels)
    return {
        "n": len(y_true),
        "accuracy": round(float(accuracy_score(y_true, y_pred)), 4),
        "macro_f1": round(float(f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0)), 4),
        "per_class": {
            label: {
                "precision": round(float(p[i]), 4),
                "recall": round(float(r[i]), 4),
                "f1": round(float(f[i]), 4),
                "support": int(s[i]),
            }
            for i, label in enumerate(labels)
        },
        # confusion[true][predicted] = count
        "confusion": {t: {q: int(cm[i, j]) for j, q in enumerate(labels)} for i, t in enumerate(labels)},
    }


def lenient_labels(y_true, y_pred, alternatives):
    """Gold labels where a prediction equal to one of a row's ``alternatives`` (a set, or a
    ``|``-separated string as in an ``alt_label`` column) counts as right."""
    out = []
    for gold, pred, alt in zip(y_true, y_pred, alternatives):
        options = alt if isinstance(alt, (set, frozenset, list, tuple)) else set(filter(None, str(alt or "").split("|")))
        out.append(pred if pred in options else gold)
    return out


def format_report(report):
    """Human-readable text for :func:`evaluation_report`'s dict."""
    labels = list(report["per_class"])
    width = max(len(label) for label in labels + ["macro avg"])
    out = [f"sentences: {report['n']}   accuracy: {report['accuracy']:.3f}   macro-F1: {report['macro_f1']:.3f}"]
    if "lenient" in report:
        out[0] += f"   lenient macro-F1: {report['lenient']['macro_f1']:.3f} (a prediction equal to alt_label counts)"
    out.append("")
    out.append(f"{'':{width}}  precision  recall     f1  support")
    for label in labels:
        c = report["per_class"][label]
        out.append(f"{label:{width}}  {c['precision']:9.3f} {c['recall']:7.3f} {c['f1']:6.3f} {c['support']:8d}")
    out += ["", "confusion (rows: true, columns: predicted)"]
    # Full label names as column heads, each column as wide as its name.
    out.append(f"{'':{width}}  " + " ".join(labels))
    for label in labels:
        row = report["confusion"][label]
        out.append(f"{label:{width}}  " + " ".join(f"{row[q]:>{len(q)}d}" for q in labels))
    return "\n".join(out)
