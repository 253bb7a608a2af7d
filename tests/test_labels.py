from classify.labels import LABELS, closest_label


def test_four_labels_in_fixed_order():
    assert LABELS == ("military_movement", "civilian_reaction", "foreign_involvement", "other")


def test_closest_label_suggests_near_misses():
    assert closest_label("military-movement") == "military_movement"
    assert closest_label("Civilian Reaction") == "civilian_reaction"
    assert closest_label("foriegn_involvment") == "foreign_involvement"
    assert closest_label("othre") == "other"
    assert closest_label("zzzzzzzz") is None
