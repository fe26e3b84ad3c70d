"""Bytes to text: encoding detection and per-document errors.

Russian text arrives as UTF-8, UTF-16 (with or without BOM), cp1251 or KOI8-R.
The detector is small and explainable: BOMs, then the NUL/0x04 byte pattern of
UTF-16, then strict UTF-8, and last cp1251 against KOI8-R.  Both 8-bit codecs
decode almost any byte, so the candidates are scored as Russian: letter
frequencies (a wrong codec turns frequent о/а/т into rare letters) and word case
shapes (a wrong codec swaps case inside words: "Привет" → "пРИВЕТ").

Anything that is not text becomes a `DocumentError`, which the batch records in
documents.csv before going on with the next file.
"""
from __future__ import annotations

import hashlib
import math
import os
import re
from dataclasses import dataclass

__all__ = ["DocumentError", "Source", "decode", "read_source"]

UNDECODABLE = "undecodable: not UTF-8/UTF-16/cp1251/KOI8-R"
BINARY = "binary file (NUL bytes / control chars)"

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be", "utf-16-be"),
)

# Russian letter frequencies, % (Russian National Corpus; ё is mostly printed as е).
# ъ is raised from 0.04 and the pre-1918 letters added, so that old spelling
# (a ъ after every final consonant) still reads as Russian.
_FREQ = dict(zip(
    "оеаинтсрвлкмдпуяыьгзбчйхжшюцщэфъёіѣѳѵ",
    (10.97, 8.45, 8.01, 7.35, 6.70, 6.26, 5.47, 4.73, 4.54, 4.40, 3.49, 3.21,
     2.98, 2.81, 2.62, 2.01, 1.90, 1.74, 1.70, 1.65, 1.59, 1.44, 1.21, 0.97,
     0.94, 0.73, 0.64, 0.48, 0.36, 0.32, 0.26, 0.5, 0.04, 0.5, 0.5, 0.01, 0.01),
))
_LOG2P = {ch: math.log2(f / 100) for ch, f in _FREQ.items()}
_CYRILLIC = "а-яёА-ЯЁіІѣѢѳѲѵѴ"
_CYRILLIC_WORD = re.compile(f"[{_CYRILLIC}]+")
_MIXED_SCRIPT = re.compile(f"[a-zA-Z][{_CYRILLIC}]|[{_CYRILLIC}][a-zA-Z]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_PUNCT = set("«»—–…№„“”‘’\xa0")  # the non-letters cp1251 text uses
_PUNCT_LOG2P = -7.0
_JUNK_LOG2P = -16.0
_SAMPLE = 200_000  # characters scored when choosing an 8-bit codec
_MIN_LOG2P = -5.5  # Russian averages about -4.4 bits a letter, random letters below -6
_MIN_LETTERS = 50
_MAX_CONTROL_SHARE = 0.01


class DocumentError(Exception):
    """A per-document failure: the batch records it in documents.csv and goes on."""

    status: str  # "error" (binary, undecodable, oversized, unreadable) or "skipped" (empty)

    def __init__(self, message: str, status: str = "error") -> None:
        super().__init__(message)
        self.status = status

    def __reduce__(self):  # keep the status when a worker process sends the error back
        return type(self), (str(self), self.status)


@dataclass(frozen=True, slots=True)
class Source:
    """A decoded document; `text` is the original all SPEC offsets index into."""

    text: str
    encoding: str  # utf-8, utf-8-sig, utf-16-le, utf-16-be, cp1251, koi8-r
    sha256: str  # of the raw bytes
    size: int  # bytes


def read_source(path: str | os.PathLike, max_bytes: int = 64 * 2**20) -> Source:
    """Read and decode one file; every failure is a `DocumentError`."""
    try:
        size = os.stat(path).st_size
        if size > max_bytes:
            raise DocumentError(f"file too large: {size} bytes > limit {max_bytes}")
        with open(path, "rb") as f:
            data = f.read(max_bytes + 1)
    except OSError as e:
        raise DocumentError(f"cannot read file: {e.strerror or e}") from e
    if len(data) > max_bytes:  # the file grew after stat
        raise DocumentError(f"file too large: {len(data)} bytes > limit {max_bytes}")
    return decode(data)


def decode(data: bytes) -> Source:
    """Decode bytes to text, removing a BOM and nothing else."""
    if not data:
        raise DocumentError("empty file", "skipped")
    text, encoding = _decode(data)
    if not text or text.isspace():  # not text.strip(): no copy of a book
        raise DocumentError("empty file (whitespace only)", "skipped")
    if _is_binary(text):
        raise DocumentError(BINARY)
    return Source(text, encoding, hashlib.sha256(data).hexdigest(), len(data))


def _decode(data: bytes) -> tuple[str, str]:
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom):], codec), name
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _strict(data, utf16), utf16
    if b"\x00" in data:
        raise DocumentError(BINARY)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return _decode_8bit(data)


def _strict(data: bytes, codec: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as e:
        raise DocumentError(f"{UNDECODABLE} (invalid {codec})") from e


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 puts 0x00 (ASCII) or 0x04 (Cyrillic) in every high byte."""
    if len(data) < 2 or len(data) % 2:
        return None
    even, odd = data[0::2], data[1::2]

    def high_share(part: bytes) -> float:
        return (part.count(0) + part.count(4)) / len(part)

    if high_share(odd) >= 0.9 and high_share(even) < 0.5:
        return "utf-16-le"
    if high_share(even) >= 0.9 and high_share(odd) < 0.5:
        return "utf-16-be"
    return None


def _is_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    sample = text[:_SAMPLE]
    return len(_CONTROL.findall(sample)) > _MAX_CONTROL_SHARE * len(sample)


def _decode_8bit(data: bytes) -> tuple[str, str]:
    """Choose cp1251 or KOI8-R, whichever reads as more plausible Russian."""
    scored = []
    for codec in ("cp1251", "koi8-r"):
        try:
            sample = data[:_SAMPLE].decode(codec)
        except UnicodeDecodeError:
            continue  # cp1251 leaves 0x98 undefined
        scored.append((_russian_score(sample), codec, sample))
    if not scored:
        raise DocumentError(UNDECODABLE)
    if _is_binary(scored[0][2]):  # control bytes are the same in both codecs
        raise DocumentError(BINARY)
    score, codec, sample = max(scored)
    if not _plausible(sample, score):
        raise DocumentError(UNDECODABLE)
    return _strict(data, codec), codec


def _russian_score(text: str) -> float:
    """Mean log2 probability of the non-ASCII characters, read as Russian.

    Words of mixed case cost extra: a real word is lower, UPPER or Title case,
    but the wrong codec flips case letter by letter ("Привет" → "пРИВЕТ").
    """
    chars = [ch for ch in text if ch >= "\x80"]
    if not chars:
        return -math.inf
    log2p = sum(map(_char_log2p, chars)) / len(chars)
    words = _CYRILLIC_WORD.findall(text)
    odd_case = sum(not (w.islower() or w.isupper() or w.istitle()) for w in words)
    return log2p - 4.0 * odd_case / max(len(words), 1)


def _char_log2p(ch: str) -> float:
    """A letter scores its frequency; what Russian text never needs (box drawing, Ћ) scores lowest."""
    if ch in _PUNCT:
        return _PUNCT_LOG2P
    return _LOG2P.get(ch.lower(), _JUNK_LOG2P)


def _plausible(text: str, score: float) -> bool:
    """Reject what no codec makes Russian: random high bytes, Latin-1 French ("cafй").

    Below `_MIN_LETTERS` letters the frequencies prove little, so only the
    script test applies.
    """
    cyrillic = sum(len(w) for w in _CYRILLIC_WORD.findall(text))
    if cyrillic >= _MIN_LETTERS and score < _MIN_LOG2P:
        return False
    if cyrillic == 0:
        return all(ch < "\x80" or ch in _PUNCT for ch in text)
    return len(_MIXED_SCRIPT.findall(text)) < 0.1 * cyrillic
