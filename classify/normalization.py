"""Arabic text normalization built on pyarabic: the rules, with no scikit-learn.

Every step is one of pyarabic's functions (or a character map built from pyarabic's
constants). The steps act on one character at a time, so their composition is itself a
character map: :func:`translation_changes` runs the pyarabic chain over every character the
steps touch, and :func:`table_from_changes` stores the result in a ``str.translate`` table. The fast path then costs
one ``translate`` plus a whitespace collapse, and gives exactly what the pyarabic chain
gives (``tests/test_normalize.py`` checks that on the corpus and on random strings).
"""

import functools
import re

import pyarabic.araby as araby

from .charsets import CONTROLS as _CONTROLS
from .charsets import PRESENTATION_FORMS, fold_presentation_form

_DIGITS = {e: w for e, w in zip(araby.NUMBERS_EAST, araby.NUMBERS_WEST)}
_DIGITS.update({p: w for p, w in zip(araby.NUMBERS_PERS, araby.NUMBERS_WEST)})
_DIGITS.update({araby.DECIMAL: ".", araby.THOUSANDS: ","})
_PUNCTUATION = {
    araby.COMMA: ",",
    araby.SEMICOLON: ";",
    araby.QUESTION: "?",
    araby.PERCENT: "%",
    araby.FULL_STOP: ".",
    "«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"',
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'",
}
_WHITESPACE = re.compile(r"\s+")


def _map_chars(mapping):
    def apply(text):
        return "".join(mapping.get(ch, ch) for ch in text)

    return apply


def _alef_hamza(text):
    # pyarabic's "tasheel" method writes every hamza carrier as its bare letter
    # (أ إ آ → ا, ؤ → و, ئ → ي); alef wasla is a Quranic alef and goes the same way.
    return araby.normalize_hamza(text, method="tasheel").replace(araby.ALEF_WASLA, araby.ALEF)


#: (parameter name, pyarabic-based function), in the order they are applied.
STEPS = (
    ("fold_presentation_forms", _map_chars({c: fold_presentation_form(c) for c in PRESENTATION_FORMS})),
    ("strip_controls", lambda t: t.translate({ord(c): None for c in _CONTROLS})),
    ("strip_diacritics", araby.strip_diacritics),
    ("strip_tatweel", araby.strip_tatweel),
    ("normalize_ligatures", araby.normalize_ligature),
    ("normalize_alef_hamza", _alef_hamza),
    ("normalize_alef_maksura", lambda t: t.replace(araby.ALEF_MAKSURA, araby.YEH)),
    ("normalize_teh_marbuta", araby.normalize_teh),
    ("normalize_digits", _map_chars(_DIGITS)),
    ("normalize_punctuation", _map_chars(_PUNCTUATION)),
)
STEP_NAMES = tuple(name for name, _ in STEPS) + ("collapse_whitespace",)

# Every character any step can change; other characters pass through all steps unchanged.
_DOMAIN = frozenset(
    PRESENTATION_FORMS
    + _CONTROLS
    + "".join(araby.DIACRITICS)
    + araby.TATWEEL
    + "".join(araby.LIGUATURES)
    + "".join(araby.HAMZAT)
    + "".join(araby.ALEFAT)
    + araby.ALEF_WASLA
    + araby.ALEF_MAKSURA
    + araby.TEH_MARBUTA
    + "".join(_DIGITS)
    + "".join(_PUNCTUATION)
)


def reference_normalize(text, **steps):
    """Normalize with pyarabic's functions, one pass per step (slow; the specification)."""
    enabled = _enabled(steps)
    for name, func in STEPS:
        if name in enabled:
            text = func(text)
    if "collapse_whitespace" in enabled:
        text = _WHITESPACE.sub(" ", text).strip()
    return text


@functools.lru_cache(maxsize=8)
def translation_changes(enabled):
    """``{code point: replacement, or None to delete}`` of every character the steps in
    ``enabled`` change: the pyarabic chain run once per character it can touch."""
    changes = {}
    for ch in _DOMAIN:
        out = ch
        for name, func in STEPS:
            if name in enabled:
                out = func(out)
        if out != ch:
            changes[ord(ch)] = out or None
    return changes


def table_from_changes(changes):
    """A 65,536-entry list for ``str.translate``: with a dict, translate raises and catches
    a KeyError for every character it leaves alone; a list lookup never fails in the BMP
    (characters above it raise IndexError, which translate takes as "unchanged")."""
    table = [chr(i) for i in range(0x10000)]
    for code, out in changes.items():
        table[code] = out
    return table


@functools.lru_cache(maxsize=8)
def _translation_table(enabled):
    return table_from_changes(translation_changes(enabled))


def translate_all(texts, table, collapse_whitespace):
    """``texts`` through ``str.translate(table)``, whitespace runs collapsed if asked."""
    if collapse_whitespace:
        return [" ".join(t.translate(table).split()) for t in texts]
    return [t.translate(table) for t in texts]


def enabled_steps(**steps):
    """The frozenset of step names switched on (every step unless passed as False)."""
    return _enabled(steps)


def _enabled(steps):
    unknown = set(steps) - set(STEP_NAMES)
    if unknown:
        raise TypeError(f"unknown normalization step(s): {', '.join(sorted(unknown))}")
    return frozenset(name for name in STEP_NAMES if steps.get(name, True))


def normalize_all(texts, enabled):
    """Normalize a list of strings with the step names in ``enabled`` (see :func:`enabled_steps`)."""
    enabled = frozenset(enabled)
    return translate_all(texts, _translation_table(enabled), "collapse_whitespace" in enabled)


def normalize(text, **steps):
    """Normalize one string; every step is on unless passed as ``step=False``.

    >>> normalize("أَعْلَنَت القُوّاتُ الحكومـــية ٣ «انسحابات»")
    'اعلنت القوات الحكوميه 3 "انسحابات"'
    >>> normalize("ﺍﻟﺠﻴﺶ")  # presentation forms, as PDF extraction gives them
    'الجيش'
    """
    return normalize_all([text], _enabled(steps))[0]
