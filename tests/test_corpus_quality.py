from classify.corpus import check_corpus, near_duplicate_pairs
from classify.corpus import Corpus


def test_near_duplicates_found_and_distinct_sentences_pass():
    texts = [
        "تقدمت قوات الجيش نحو أطراف المدينة الشمالية صباح الأحد وسط قصف مدفعي كثيف.",
        "تقدمت قوات الجيش نحو أطراف المدينة الشمالية صباح الاثنين وسط قصف مدفعي كثيف.",
        "خرج مئات السكان في مظاهرة حاشدة أمام مبنى البلدية للمطالبة بوقف القتال.",
        "تَقَدَّمَت قوات الجيـــش نحو أطراف المدينة الشمالية صباح الأحد وسط قصف مدفعي كثيف.",
    ]
    pairs = near_duplicate_pairs(texts, threshold=0.8)
    assert {(i, j) for i, j, _ in pairs} == {(0, 1), (0, 3), (1, 3)}
    assert all(s >= 0.8 for *_, s in pairs)


def test_check_reports_leakage_and_duplicates():
    c = Corpus.from_lists(
        ["قصف على الحي الشرقي", "قصف على الحي الشرقي", "مظاهرة في الساحة", "ادانة اممية للهجوم", "خبر رياضي"],
        ["military_movement", "military_movement", "civilian_reaction", "foreign_involvement", "other"],
        doc=["a", "b", "c", "c", "d"],
        split=["train", "test", "train", "test", "train"],
    )
    result = check_corpus(c)
    kinds = sorted(p["kind"] for p in result["problems"])
    assert kinds == ["duplicate", "leakage", "leakage"]
    assert not result["ok"]
