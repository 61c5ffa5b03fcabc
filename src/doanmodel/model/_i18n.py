"""Bilingual text: every user-facing label and message exists in Vietnamese and English."""

from __future__ import annotations

import unicodedata

import attrs

__all__ = ["LANGS", "Text", "fold", "nfc"]

LANGS = ("vi", "en")


@attrs.frozen
class Text:
    """
    A message in Vietnamese and English.

    ``str(text)`` gives the Vietnamese form (the default language);
    ``text.get("en")`` the English one.
    """

    vi: str
    en: str

    def get(self, lang: str = "vi") -> str:
        """Return the text in *lang* (``"vi"`` or ``"en"``)."""
        return self.en if lang == "en" else self.vi

    def __str__(self) -> str:
        return self.vi

    def format(self, **kw: object) -> Text:
        """Fill ``{placeholders}`` in both languages."""
        return Text(self.vi.format(**kw), self.en.format(**kw))

    def __add__(self, other: Text) -> Text:
        return Text(self.vi + other.vi, self.en + other.en)


def nfc(text: str) -> str:
    """Return *text* in Unicode NFC (data typed on Vietnamese keyboards is often NFD)."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """
    Fold *text* for accent-insensitive search: lower case, no diacritics, đ → d.

    Only for searching by a person; stored names are never folded.
    """
    decomposed = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
