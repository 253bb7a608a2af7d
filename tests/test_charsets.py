import unicodedata

import pyarabic.araby as araby
import pytest

from classify.charsets import ARABIC_LETTERS, CONTROLS, PRESENTATION_FORMS, fold_presentation_form, has_arabic_letter


def test_every_pyarabic_letter_is_an_arabic_letter():
    assert set(araby.LETTERS) - {araby.TATWEEL} <= set(ARABIC_LETTERS)


@pytest.mark.parametrize("text", ["\ufeff", "٣٤٥", "\u064e\u0651", "\u200f\u200e", "ـــ", "Hello 2024", "،؛؟"])
def test_marks_digits_controls_and_punctuation_are_not_letters(text):
    assert not has_arabic_letter(text)


@pytest.mark.parametrize("text", ["قال", "ﺍﻟﺠﻴﺶ", "ڤيديو", "پ"])
def test_letters_and_presentation_forms_are(text):
    assert has_arabic_letter(text)


def test_folding_is_nfkc_on_every_presentation_form():
    for ch in PRESENTATION_FORMS:
        assert fold_presentation_form(ch) == unicodedata.normalize("NFKC", ch)


def test_controls_are_invisible_format_characters():
    assert all(unicodedata.category(ch) in ("Cf", "Mn") for ch in CONTROLS)
