from classify.metrics import evaluation_report, format_report


def test_report_shape_and_values():
    y_true = ["military_movement", "military_movement", "other", "civilian_reaction"]
    y_pred = ["military_movement", "other", "other", "civilian_reaction"]
    r = evaluation_report(y_true, y_pred)
    assert r["accuracy"] == 0.75
    assert set(r["per_class"]) == {"military_movement", "civilian_reaction", "other"}
    assert r["per_class"]["military_movement"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "support": 2}
    assert r["confusion"]["military_movement"]["other"] == 1
    assert abs(r["macro_f1"] - (2 / 3 + 2 / 3 + 1) / 3) < 1e-3
    text = format_report(r)
    assert "macro-F1: 0.778" in text and "confusion" in text
