"""Bilingual text: every user-facing label and message exists in Vietnamese and English."""

from __future__ import annotations

import errno
import os
import unicodedata

import attrs

__all__ = ["LANGS", "Text", "fold", "io_reason", "language", "nfc", "os_reason", "set_language"]

LANGS = ("vi", "en")

_STATE = {"lang": "vi"}


def set_language(code: str) -> None:
    """Show results in *code* (``"vi"`` or ``"en"``) in notebooks from now on.

    Raises:
        ValueError: *code* is not a known language.
    """
    if code not in LANGS:
        msg = f"unknown language {code!r} (known: {', '.join(LANGS)})"
        raise ValueError(msg)
    _STATE["lang"] = code


def language() -> str:
    """The session's notebook language (``vi`` unless :func:`set_language` said otherwise)."""
    return _STATE["lang"]


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


#: the operating system's reasons a user meets, in both languages (errno → Vietnamese, English)
_OS_REASONS = {
    errno.ENOENT: ("không có tệp hoặc thư mục này", "no such file or directory"),
    errno.EACCES: ("không có quyền truy cập", "permission denied"),
    errno.EPERM: ("không được phép", "operation not permitted"),
    errno.EISDIR: ("đây là một thư mục", "is a directory"),
    errno.ENOTDIR: ("không phải thư mục", "not a directory"),
    errno.ELOOP: ("quá nhiều liên kết tượng trưng", "too many levels of symbolic links"),
    errno.ENOSPC: ("hết chỗ trên đĩa", "no space left on device"),
    errno.EROFS: ("hệ thống tệp chỉ cho đọc", "read-only file system"),
    errno.EIO: ("lỗi đọc/ghi thiết bị", "input/output error"),
    errno.ENAMETOOLONG: ("tên tệp quá dài", "file name too long"),
    errno.EMFILE: ("mở quá nhiều tệp", "too many open files"),
    errno.EEXIST: ("tệp đã có", "file exists"),
    errno.EFBIG: ("tệp quá lớn", "file too large"),
    errno.EDQUOT: ("vượt hạn mức dung lượng đĩa", "disk quota exceeded"),
}


def os_reason(exc: OSError) -> Text:
    """Why the operating system refused, in both languages (the system's own words are in
    English only: a reason not in the table is given by its number in Vietnamese)."""
    found = _OS_REASONS.get(exc.errno or -1)
    if found is not None:
        return Text(*found)
    return Text(f"lỗi hệ điều hành số {exc.errno}", exc.strerror or type(exc).__name__)


def named_os_reason(text: str) -> Text | None:
    """The OS reason (in both languages) that *text*, a library's error message, names, if
    any (``… Could not write file "x": No space left on device``)."""
    for number, words in _OS_REASONS.items():
        if os.strerror(number) in text:
            return Text(*words)
    return None


def io_reason(exc: BaseException) -> Text:
    """Why a write failed, in both languages: the OS reason of an :class:`OSError`, or the one
    named in the text of another library's I/O error (DuckDB's ``IO Error: … No space left on
    device``); else the error's own first line (in English only)."""
    if isinstance(exc, OSError) and exc.errno is not None:
        return os_reason(exc)
    text = str(exc)
    named = named_os_reason(text)
    if named is not None:
        return named
    first = text.splitlines()[0] if text else type(exc).__name__
    return Text("lỗi đọc/ghi (chạy với --lang en để xem lời của thư viện)", first)
