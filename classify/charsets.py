"""Which characters are Arabic, invisible or presentation forms: one owner for every range.

The letters, diacritics and digits themselves come from pyarabic's constants; this module
adds the Unicode blocks around them, so that the normalizer, the input rules of
:class:`~classify.model.Model` and the reports agree on what "Arabic" means.
"""

import re
import unicodedata

import pyarabic.araby as araby

#: Unicode blocks that hold Arabic script (the BOM, U+FEFF, closes the last one but is not Arabic).
ARABIC_BLOCKS = (
    (0x0600, 0x06FF),  # Arabic
    (0x0750, 0x077F),  # Arabic Supplement
    (0x08A0, 0x08FF),  # Arabic Extended-A
    (0xFB50, 0xFDFF),  # Arabic Presentation Forms-A
    (0xFE70, 0xFEFE),  # Arabic Presentation Forms-B
)

#: Presentation forms: what PDF extraction and old web pages give instead of letters.
PRESENTATION_FORMS = "".join(chr(c) for lo, hi in ARABIC_BLOCKS[3:] for c in range(lo, hi + 1))

#: Zero-width and bidi controls, soft hyphen and the BOM: invisible in a browser, but they
#: split words into different tokens, and scraped news is full of them.
CONTROLS = (
    "\u00ad\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069" + araby.BYTE_ORDER_MARK
)

DIACRITICS = "".join(araby.DIACRITICS)
TATWEEL = araby.TATWEEL
EASTERN_DIGITS = "".join(araby.NUMBERS_EAST)


def _arabic_letters():
    letters = [
        chr(c)
        for lo, hi in ARABIC_BLOCKS
        for c in range(lo, hi + 1)
        if unicodedata.category(chr(c)).startswith("L") and chr(c) != TATWEEL
    ]
    return "".join(letters)


#: Every letter (Unicode category L*) in the Arabic blocks, presentation forms included.
ARABIC_LETTERS = _arabic_letters()
_LETTER = re.compile("[" + re.escape(ARABIC_LETTERS) + "]")


def has_arabic_letter(text):
    """True if ``text`` holds at least one Arabic letter (controls, marks and digits do not count).

    >>> has_arabic_letter("UN \\ufeff 2024"), has_arabic_letter("قال")
    (False, True)
    """
    return _LETTER.search(text) is not None


def fold_presentation_form(ch):
    """The letters a presentation-form character stands for (NFKC), e.g. ﻻ -> لا."""
    return unicodedata.normalize("NFKC", ch)
