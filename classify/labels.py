"""The label set, defined once for the corpus, the models, the CLI and the reports."""

MILITARY_MOVEMENT = "military_movement"
CIVILIAN_REACTION = "civilian_reaction"
FOREIGN_INVOLVEMENT = "foreign_involvement"
OTHER = "other"

#: Order matters: it fixes the rows and columns of every confusion matrix and score table.
LABELS = (MILITARY_MOVEMENT, CIVILIAN_REACTION, FOREIGN_INVOLVEMENT, OTHER)

DESCRIPTIONS = {
    MILITARY_MOVEMENT: "what the conflict's own armed forces and armed groups do on the ground or in the air",
    CIVILIAN_REACTION: "what civilians and civil society do or say in response to the conflict",
    FOREIGN_INVOLVEMENT: "what foreign states, foreign forces and international bodies do or say about the conflict",
    OTHER: "background, analysis, economy, attribution-only fragments and unrelated news",
}


def in_label_order(names):
    """``names`` with the known labels first, in :data:`LABELS` order, then any others.

    >>> in_label_order(["other", "riot", "military_movement"])
    ['military_movement', 'other', 'riot']
    """
    names = list(names)
    return [label for label in LABELS if label in names] + [name for name in names if name not in LABELS]


def closest_label(name):
    """Return the known label closest to ``name`` (for 'did you mean' messages), or None."""
    import difflib

    key = str(name).strip().lower().replace("-", "_").replace(" ", "_")
    if key in LABELS:
        return key
    matches = difflib.get_close_matches(key, LABELS, n=1, cutoff=0.4)
    if matches:
        return matches[0]
    # Abbreviations such as "mil" or "foreign" are prefixes, which difflib scores poorly.
    prefixed = [label for label in LABELS if label.startswith(key[:3])] if key else []
    return prefixed[0] if len(prefixed) == 1 else None
