"""Arabic text normalization built on pyarabic.

Every step is one of pyarabic's functions (or a character map built from pyarabic's
constants). The steps act on one character at a time, so their composition is itself a
character map: :func:`_translation_table` runs the pyarabic chain over every character the
steps touch and stores the result in a ``str.translate`` table. The fast path then costs
one ``translate`` plus a whitespace collapse, and gives exactly what the pyarabic chain
gives (``tests/test_normalize.py`` checks that on the corpus and on random strings).
"""

import functools
import re

import pyarabic.araby as araby
from sklearn.base import BaseEstimator, TransformerMixin

# Zero-width and bidi controls, soft hyphen and the BOM: invisible in a browser, but they
# split words into different tokens, and scraped news is full of them.
_CONTROLS = (
    "\u00ad\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069" + araby.BYTE_ORDER_MARK
)
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
    _CONTROLS
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


@functools.lru_cache(maxsize=64)
def _translation_table(enabled):
    table = {}
    for ch in _DOMAIN:
        out = ch
        for name, func in STEPS:
            if name in enabled:
                out = func(out)
        if out != ch:
            table[ord(ch)] = out or None
    return table


def _enabled(steps):
    unknown = set(steps) - set(STEP_NAMES)
    if unknown:
        raise TypeError(f"unknown normalization step(s): {', '.join(sorted(unknown))}")
    return frozenset(name for name in STEP_NAMES if steps.get(name, True))


def normalize(text, **steps):
    """Normalize one string; every step is on unless passed as ``step=False``.

    >>> normalize("أَعْلَنَت القُوّاتُ الحكومـــية ٣ «انسحابات»")
    'اعلنت القوات الحكوميه 3 "انسحابات"'
    """
    enabled = _enabled(steps)
    text = text.translate(_translation_table(enabled))
    if "collapse_whitespace" in enabled:
        text = " ".join(text.split())
    return text


class ArabicNormalizer(TransformerMixin, BaseEstimator):
    """Normalize Arabic text as the first step of a scikit-learn pipeline.

    Each parameter switches one pyarabic step on or off; all are on by default. The
    transformer is stateless: ``fit`` only validates the parameters. Latin text is kept
    as it is (case folding is left to the vectorizer).

    Parameters
    ----------
    strip_controls : bool
        Remove zero-width characters, bidi controls, soft hyphens and the BOM.
    strip_diacritics : bool
        Remove tashkeel, shadda, small alef and Quranic marks (``araby.strip_diacritics``).
    strip_tatweel : bool
        Remove kashida/tatweel (``araby.strip_tatweel``).
    normalize_ligatures : bool
        Write presentation-form lam-alef ligatures as two letters (``araby.normalize_ligature``).
    normalize_alef_hamza : bool
        Write أ إ آ ٱ as ا, ؤ as و and ئ as ي (``araby.normalize_hamza(method="tasheel")``).
    normalize_alef_maksura : bool
        Write ى as ي.
    normalize_teh_marbuta : bool
        Write ة as ه (``araby.normalize_teh``).
    normalize_digits : bool
        Arabic-Indic and Persian digits and separators to ASCII.
    normalize_punctuation : bool
        ، ؛ ؟ ٪ to their Latin forms; guillemets and curly quotes to ASCII quotes.
    collapse_whitespace : bool
        Runs of whitespace to one space, stripped at both ends.
    """

    def __init__(
        self,
        strip_controls=True,
        strip_diacritics=True,
        strip_tatweel=True,
        normalize_ligatures=True,
        normalize_alef_hamza=True,
        normalize_alef_maksura=True,
        normalize_teh_marbuta=True,
        normalize_digits=True,
        normalize_punctuation=True,
        collapse_whitespace=True,
    ):
        self.strip_controls = strip_controls
        self.strip_diacritics = strip_diacritics
        self.strip_tatweel = strip_tatweel
        self.normalize_ligatures = normalize_ligatures
        self.normalize_alef_hamza = normalize_alef_hamza
        self.normalize_alef_maksura = normalize_alef_maksura
        self.normalize_teh_marbuta = normalize_teh_marbuta
        self.normalize_digits = normalize_digits
        self.normalize_punctuation = normalize_punctuation
        self.collapse_whitespace = collapse_whitespace

    def _steps(self):
        params = self.get_params()
        for name, value in params.items():
            if not isinstance(value, bool):
                raise ValueError(f"{type(self).__name__}: {name} must be True or False, got {value!r}")
        return params

    def fit(self, X, y=None):
        self._steps()
        return self

    def transform(self, X):
        if isinstance(X, str):
            raise ValueError("ArabicNormalizer expects an iterable of strings, not a single string")
        enabled = _enabled(self._steps())
        table = _translation_table(enabled)
        if "collapse_whitespace" in enabled:
            return [" ".join(str(x).translate(table).split()) for x in X]
        return [str(x).translate(table) for x in X]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags
