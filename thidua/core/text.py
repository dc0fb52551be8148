"""Vietnamese text: the accent fold used by search, and the collation key used to sort lists.

Neither needs ICU: the fold is NFD minus combining marks with đ mapped to d (Unicode does not
decompose đ), and the sort key encodes the Vietnamese alphabet order (a < ă < â, d < đ, ...) as
fixed-width digits, tones compared only when the letters are equal, as ICU's vi collation does.
Digits sort the same under every database collation, so the key can be stored and indexed.
"""

from __future__ import annotations

import re
import unicodedata

_D_MAP = str.maketrans({"đ": "d", "Đ": "D"})
_SPACES = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """Lower-case text without tones or vowel marks: "Nguyễn Văn Đức" -> "nguyen van duc"."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_MAP))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped.casefold()).strip()


# The 29 letters of the Vietnamese alphabet, then f, j, w, z for foreign and ethnic-minority names.
_ALPHABET = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n",
    "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
]  # fmt: skip
_LETTER_RANK = {letter: f"{index + 10:02d}" for index, letter in enumerate(_ALPHABET)}
_DIGIT_RANK = {str(d): f"{d + 70:02d}" for d in range(10)}
# Dictionary order of tones: ngang, huyền, hỏi, ngã, sắc, nặng.
_TONE_RANK = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
_WORD_SEPARATOR = "01"
_FIELD_SEPARATOR = "00"


def _word_keys(word: str) -> tuple[str, str]:
    """Primary key (letter ranks) and secondary key (one tone digit per letter) of one word."""
    primary: list[str] = []
    tones: list[str] = []
    for char in unicodedata.normalize("NFC", word.casefold()):
        tone = "0"
        letter_parts = []
        for part in unicodedata.normalize("NFD", char):
            if part in _TONE_RANK:
                tone = _TONE_RANK[part]
            else:
                letter_parts.append(part)
        # Letter marks stay attached (ă is its own letter, not a with a tone), so recompose them.
        letter = unicodedata.normalize("NFC", "".join(letter_parts))
        rank = _LETTER_RANK.get(letter) or _DIGIT_RANK.get(letter)
        if rank is None:
            continue
        primary.append(rank)
        tones.append(tone)
    return "".join(primary), "".join(tones)


_WORD_SPLIT = re.compile(r"[\s\-‐–—_/.,()]+")


def sort_key(*fields: str | None) -> str:
    """Collation key of one or more fields compared in order (for a name: given, family, middle).

    Letters decide first over all fields; only when every letter is equal do tones decide, as in
    a Vietnamese dictionary (Bui < Bùi < Búi).
    """
    primaries: list[str] = []
    secondaries: list[str] = []
    for field in fields:
        words = [w for w in _WORD_SPLIT.split(field or "") if w]
        word_keys = [_word_keys(w) for w in words]
        primaries.append(_WORD_SEPARATOR.join(p for p, _ in word_keys))
        secondaries.append("".join(t for _, t in word_keys))
    return _FIELD_SEPARATOR.join(primaries) + _FIELD_SEPARATOR + _FIELD_SEPARATOR + "".join(secondaries)


def person_sort_key(family_name: str, middle_name: str, given_name: str) -> str:
    """Official lists sort people by given name, then family name, then middle name."""
    return sort_key(given_name, family_name, middle_name)
