"""Text helpers for names in any script."""

from __future__ import annotations

import unicodedata


def _is_latin(ch: str) -> bool:
    code = ord(ch)
    return code < 0x250 or 0x1E00 <= code <= 0x1EFF


def fold(text: str | None) -> str:
    """Fold text for searching: case-folded, Latin accents removed, other scripts kept whole.

    Vietnamese "Nguyễn Thị Đào" is found by "nguyen thi dao"; Thai, Khmer and Burmese vowel
    and tone signs are combining marks too, but are part of the word and are kept.
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    out: list[str] = []
    base_is_latin = False
    for ch in decomposed:
        if unicodedata.combining(ch):
            if base_is_latin:
                continue
        else:
            base_is_latin = _is_latin(ch)
        out.append(ch)
    folded = unicodedata.normalize("NFC", "".join(out)).casefold()
    return " ".join(folded.split())
