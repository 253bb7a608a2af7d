from classify.labels import LABELS


def test_predict_article_seed(model, seed_article):
    preds = model.predict_article(seed_article)
    assert len(preds) == 21
    assert all(p.label in LABELS for p in preds)
    assert all(abs(sum(p.scores.values()) - 1) < 1e-3 for p in preds)
    assert all(p.score == max(p.scores.values()) for p in preds)


def test_clear_cases(model):
    labels = model.predict([
        "وفق ما نقلت الجزيرة.",
        "خرج آلاف السكان في مظاهرات حاشدة وأسقطوا تمثال الرئيس في الساحة الرئيسية.",
    ])
    assert labels == ["other", "civilian_reaction"]


def test_explain_gives_ngrams_supporting_the_label(model):
    preds = model.predict_sentences(["خرج آلاف السكان في مظاهرات حاشدة في الساحة"], explain=5)
    expl = preds[0].explanation
    assert 1 <= len(expl) <= 5
    assert all(w > 0 for _, w in expl)
    assert [w for _, w in expl] == sorted((w for _, w in expl), reverse=True)
    assert all(g.startswith(("word:", "char:")) for g, _ in expl)


def test_non_arabic_flagged_and_empty_input(model):
    preds = model.predict_sentences(["Breaking news in English only", "قصف مدفعي على المدينة"])
    assert preds[0].flag == "non_arabic" and preds[1].flag == ""
    assert model.predict([]) == []
    assert model.predict_article("   \n ") == []
