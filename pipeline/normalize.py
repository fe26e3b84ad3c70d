"""Clean text for analysis, with an exact map back to the original.

PDF-extracted and pre-1918 prose is unwrapped into paragraphs, de-hyphenated,
stripped of page furniture and brought to modern spelling, so that the NLP
stages see ordinary Russian. Every normalized character keeps the original
span it came from (`Normalized.starts`/`ends`), so records can report SPEC
offsets into the original text.

Output conventions a caller can rely on:
- paragraphs (and headings) are separated by exactly "\\n\\n"; inside a
  paragraph there are no newlines and only single spaces;
- quotes of every kind („“ ” " ‘’ ‹›) become « »; an apostrophe between
  letters stays as it is;
- dash characters (‒ – — ―), and "-" or "--" standing between spaces, become
  "—"; a hyphen-minus touching a word or a digit stays "-" (so "1927-1928"
  keeps its "-", "1927–1928" becomes "1927—1928");
- pre-1918 letters become modern (ѣ→е, і→и, ѳ→ф, ѵ→и, word-final ъ dropped);
  in a pre-1918 document also -аго→-ого, -ыя→-ые, ея→её and similar, where
  pymorphy3 confirms the modern word.

Every edit is one of three kinds: a substitution maps char to char ("ѣ"→"е");
a deletion widens its neighbour's span ("миръ"→"мир" still spans the ъ); a
replacement maps each of its chars onto the whole of what it replaces (a
whitespace run → " " or "\\n\\n", "--" → "—"). Maps are numpy int64 arrays
built from slices, so a 50 MB file is feasible; `blocks` cuts it at
paragraph boundaries so that no single map needs to cover all of it.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from typing import NamedTuple

import numpy as np

from . import morph

__all__ = ["Normalized", "normalize", "blocks"]

PARAGRAPH_SEP = "\n\n"
MODERN, PRE_1918 = "modern", "pre-1918"


@dataclass(frozen=True, eq=False, slots=True)
class Normalized:
    """Normalized text and, per character, its span in the original text."""

    text: str
    starts: np.ndarray  # int64, len(text): offset in the original of each char
    ends: np.ndarray  # int64, len(text): end (exclusive) in the original of each char
    orthography: str  # "modern" or "pre-1918"

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original [s, e) of the normalized [start, end)."""
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"bad span [{start}, {end}) of a {len(self.text)}-char text")
        return int(self.starts[start]), int(self.ends[end - 1])

    def paragraphs(self) -> list[tuple[int, int]]:
        """Normalized (start, end) of each paragraph."""
        if not self.text:
            return []
        spans, start = [], 0
        while (sep := self.text.find(PARAGRAPH_SEP, start)) >= 0:
            spans.append((start, sep))
            start = sep + len(PARAGRAPH_SEP)
        spans.append((start, len(self.text)))
        return spans


def normalize(text: str) -> Normalized:
    """Normalize a whole document: the blocks of `blocks(text)`, joined by "\\n\\n"."""
    parts = list(blocks(text))
    if not parts:
        return Normalized("", np.zeros(0, np.int64), np.zeros(0, np.int64), _orthography(text))
    return _join(parts)


def blocks(text: str, max_chars: int = 200_000) -> Iterator[Normalized]:
    """The normalization of `text`, in pieces that cover `max_chars` original chars at most.

    Pieces end at paragraph boundaries; a paragraph longer than `max_chars` is
    cut at a sentence end (or a space), and that cut is a paragraph boundary
    of `normalize` too. All offsets index into `text` itself.
    """
    layout = _survey(text)
    orthography = _orthography(text)
    for chunk in _chunks(text, _paragraphs(text, layout), max_chars):
        yield _normalize_chunk(text, chunk, orthography)


# ---------------------------------------------------------------- lines and layout

_LINE = re.compile(r"([^\n\r\f\v\x1c-\x1e\x85\u2028\u2029]*)(\r\n|(\f)|[\n\r\v\x1c-\x1e\x85\u2028\u2029]|\Z)")
# soft hyphen, zero-width and control chars: deleted, and a line of nothing else is blank
_INVISIBLE = (
    "".join(map(chr, [*range(0x00, 0x09), *range(0x0E, 0x20), *range(0x7F, 0xA0)]))
    + "\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff"
)
# a line's content: from its first to its last visible char, and a soft hyphen after a final letter
_CONTENT = re.compile(
    f"[^\\s{re.escape(_INVISIBLE)}](?:.*[^\\s{re.escape(_INVISIBLE)}])?(?:(?<=[^\\W\\d_])\u00ad)?"
)
_PAGE_NUMBER = re.compile(
    r"\d{1,3}"  # 12
    r"|[-–—]\s*\d{1,4}\s*[-–—]"  # - 12 -, — 12 —
    r"|(?:[СсCc]|[Сс]тр)\.\s*\d{1,4}"  # С. 12, стр. 12
)
_PAGE_NUMBER_MAX_CHARS = 12
# a page number at a header's edge; a number before a lowercase word is a day ("1 февраля
# 1828 г. Туркманчай." heads a diary's entries, however often it repeats)
_EDGE_NUMBER = re.compile(r"^\d{1,4}\s+(?![a-zа-яёѣі])|\s+\d{1,4}$")
_HEADER_MAX_CHARS = 80
_HEADER_MIN_LETTERS = 4
_HEADER_MIN_REPEATS = 3
_MIN_LINES = 5  # fewer text lines tell nothing of the layout
_UNWRAPPED_WIDTH = 200  # lines this long are whole paragraphs, not wrapped text
_UNWRAPPED_SENTENCE_ENDS = 0.6  # wrapped prose ends a sentence on a fifth of its lines
_SHORT_LINE = 0.6  # a line this much shorter than the wrap width ends its paragraph
_PARAGRAPH_INDENT = 2  # columns a first line is indented by, more than the line before

BLANK, PAGE, TEXT = "blank", "page", "text"


class _Line(NamedTuple):
    """One line: its content (whitespace stripped) is text[cs:ce]."""

    start: int
    cs: int
    ce: int
    kind: str  # BLANK, PAGE or TEXT


def _lines(text: str) -> Iterator[_Line]:
    """Lines with their kind; a form feed counts as a blank line of its own.

    Content excludes whitespace and invisible chars at either end, so edits
    inside a paragraph never leave a space at its edge.
    """
    for m in _LINE.finditer(text):
        start = m.start()
        content = _CONTENT.search(text, start, m.end(1))
        if content is None:
            yield _Line(start, start, start, BLANK)
        else:
            cs, ce = content.span()
            page = ce - cs <= _PAGE_NUMBER_MAX_CHARS and _PAGE_NUMBER.fullmatch(text, cs, ce)
            yield _Line(start, cs, ce, PAGE if page else TEXT)
        if m.group(3):
            yield _Line(m.end(), m.end(), m.end(), BLANK)
        if m.end() == len(text):
            break


def _in_context(lines: Iterable[_Line]) -> Iterator[tuple[_Line, bool]]:
    """Each line, and whether it touches a page boundary: text edge, blank line, page number."""
    prev_boundary, current = True, None
    for line in lines:
        if current is not None:
            yield current, prev_boundary or line.kind != TEXT
            prev_boundary = current.kind != TEXT
        current = line
    if current is not None:
        yield current, True


def _header_key(text: str, line: _Line) -> str | None:
    """What a running header repeats: a short line, less a page number at either edge."""
    content = text[line.cs:line.ce]
    if len(content) > _HEADER_MAX_CHARS:
        return None
    key = " ".join(_EDGE_NUMBER.sub("", content).split())
    if sum(map(str.isalpha, key)) < _HEADER_MIN_LETTERS:
        return None
    return key


@dataclass(frozen=True, slots=True)
class _Layout:
    """What one cheap pass over the lines tells about the whole document."""

    headers: frozenset[str]  # running headers/footers
    wrap: int  # typical width of wrapped lines; 0 turns the short-line rule off
    unwrapped: bool  # each line is a paragraph: long lines, or most of them end a sentence


def _survey(text: str) -> _Layout:
    """Count candidate running headers, line widths and lines that end a sentence."""
    keys: Counter[str] = Counter()
    widths: Counter[int] = Counter()
    sentence_ends = 0
    for line, at_boundary in _in_context(_lines(text)):
        if line.kind != TEXT:
            continue
        widths[line.ce - line.cs] += 1
        sentence_ends += _ends_sentence(text, line.cs, line.ce)
        if at_boundary and (key := _header_key(text, line)):
            keys[key] += 1
    headers = frozenset(k for k, n in keys.items() if n >= _HEADER_MIN_REPEATS)
    lines = widths.total()
    wrap = _percentile(widths, 0.9)
    if lines < _MIN_LINES:  # too few to tell short lines or sentence lines
        return _Layout(headers, 0, wrap > _UNWRAPPED_WIDTH)
    return _Layout(headers, wrap, wrap > _UNWRAPPED_WIDTH or sentence_ends > _UNWRAPPED_SENTENCE_ENDS * lines)


def _percentile(counts: Counter[int], q: float) -> int:
    rank, seen = q * counts.total(), 0
    for value in sorted(counts):
        seen += counts[value]
        if seen >= rank:
            return value
    return 0


# ---------------------------------------------------------------- paragraphs

Edit = tuple[int, int, str]  # replace text[a:b] by a string: see `_rewrite`


class _Para(NamedTuple):
    """A paragraph: original text[start:end] with the edits that unwrap it."""

    start: int
    end: int
    edits: list[Edit]


_HYPHENS = "-\u2010\u2011"
_SOFT_HYPHENS = "\u00ad\u00ac"  # soft hyphen; "¬", FineReader's line-end hyphen
_WORD_BEFORE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*\Z")
_WORD_AFTER = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_CLOSERS = "»\"”’)\\]"
_SENTENCE_END = re.compile(f"[.!?…][{_CLOSERS}]*\\Z")
_ABBREVIATION = re.compile(f"(?<![^\\W\\d_])[а-яёa-z]{{1,3}}\\.[{_CLOSERS}]*\\Z")  # г., гг., т.д., см.
_LOWER_START = re.compile(r"[«„\"“‘(\[]*[^\W\d_]")


def _paragraphs(text: str, layout: _Layout) -> Iterator[_Para]:
    """Group text lines into paragraphs, dropping blank lines and page furniture."""
    first: _Line | None = None  # of the paragraph
    prev: _Line | None = None
    edits: list[Edit] = []
    gap = False
    for line, at_boundary in _in_context(_lines(text)):
        if line.kind != TEXT or (layout.headers and at_boundary and _header_key(text, line) in layout.headers):
            gap = True
            continue
        edit = _join_lines(text, prev, line, gap, layout) if prev is not None else None
        if edit is not None:
            edits.append(edit)
        else:
            if prev is not None:
                yield _Para(first.cs, prev.ce, edits)
            first, edits = line, []
        prev, gap = line, False
    if prev is not None:
        yield _Para(first.cs, prev.ce, edits)


def _join_lines(text: str, prev: _Line, line: _Line, gap: bool, layout: _Layout) -> Edit | None:
    """The edit that joins `line` to the paragraph ending in `prev`, or None to start a new one."""
    hyphen = _dehyphenate(text, prev, line)
    if hyphen:
        return hyphen
    space = (prev.ce, line.cs, " ")
    if gap:  # a page break inside a sentence, or a new paragraph
        continues = _starts_lower(text, line) and not _ends_sentence(text, prev.cs, prev.ce)
        return space if continues else None
    if layout.unwrapped or _indent(text, line) >= _indent(text, prev) + _PARAGRAPH_INDENT:
        return None
    if prev.ce - prev.cs < _SHORT_LINE * layout.wrap and not _starts_lower(text, line):
        return None  # the short last line of a paragraph, or a heading
    return space


def _indent(text: str, line: _Line) -> int:
    return len(text[line.start:line.cs].expandtabs(4))


def _ends_sentence(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] ends a sentence; "в 1924 г." does not."""
    start = max(start, end - 8)
    return bool(_SENTENCE_END.search(text, start, end)) and not _ABBREVIATION.search(text, start, end)


def _starts_lower(text: str, line: _Line) -> bool:
    m = _LOWER_START.match(text, line.cs, line.ce)
    return bool(m) and text[m.end() - 1].islower()


def _dehyphenate(text: str, prev: _Line, line: _Line) -> Edit | None:
    """Join a word broken at the line end: drop the hyphen, or keep it in a compound."""
    hyphen, before = text[prev.ce - 1], text[prev.ce - 2] if prev.ce - prev.cs > 1 else " "
    after = text[line.cs]
    if hyphen in _SOFT_HYPHENS and before.isalpha():
        return (prev.ce - 1, line.cs, "")
    if hyphen not in _HYPHENS or not before.isalnum() or not after.isalnum():
        return None
    keep = (prev.ce, line.cs, "")
    if before.isdigit() or after.isdigit():  # 1927-1928, 20-х
        return keep
    left = _WORD_BEFORE.search(text, text.rfind(" ", prev.cs, prev.ce) + 1, prev.ce - 1)
    right = _WORD_AFTER.match(text, line.cs, line.ce)
    if left and right and _keeps_hyphen(left.group(), right.group()):
        return keep
    return (prev.ce - 1, line.cs, "")


# ---------------------------------------------------------------- dictionary decisions

@lru_cache(maxsize=200_000)
def _known(word: str) -> bool:
    return morph.analyzer().word_is_known(word)


_ADJECTIVAL = {"ADJF", "ADJS", "PRTF", "PRTS"}


@lru_cache(maxsize=50_000)
def _keeps_hyphen(left: str, right: str) -> bool:
    """Whether "left-\\nright" is a compound ("советско-германская") or one word broken ("Со-ветская").

    The dictionary decides: join when the joined word (every hyphen part of
    it) is known; keep a hyphenated dictionary word ("кто-нибудь"); keep it
    after a compound-adjective stem ("франко-", "советско-") before an
    adjective. Otherwise a lowercase continuation joins.
    """
    if right[0].isupper() and not left[-1].isupper():  # "Австро-\nВенгрия"
        return True
    left, right = _modern(left.lower()), _modern(right.lower())
    if all(map(_known, (left + right).split("-"))):
        return False
    if _known(f"{left}-{right}"):
        return True
    stem, head = left.rsplit("-", 1)[-1], right.split("-", 1)[0]
    return _is_compound_stem(stem) and _is_adjective(head)


def _is_compound_stem(word: str) -> bool:
    """"советско", "военно", "франко": ends in о/е and is a word, or reads as a short adjective or adverb."""
    if len(word) < 3 or word[-1] not in "ое":
        return False
    return _known(word) or any({"ADJS", "ADVB"} & p.tag.grammemes for p in morph.analyzer().parse(word))


def _is_adjective(word: str) -> bool:
    return _known(word) and any(p.tag.POS in _ADJECTIVAL for p in morph.analyzer().parse(word))


# ---------------------------------------------------------------- blocks

def _chunks(text: str, paras: Iterable[_Para], max_chars: int) -> Iterator[list[_Para]]:
    """Group paragraphs into chunks of about `max_chars` original characters."""
    chunk: list[_Para] = []
    size = 0
    for para in paras:
        for piece in _cut(text, para, max_chars):
            length = piece.end - piece.start
            if chunk and size + length > max_chars:
                yield chunk
                chunk, size = [], 0
            chunk.append(piece)
            size += length + len(PARAGRAPH_SEP)
    if chunk:
        yield chunk


_SPACE_RUN = re.compile(r"\s+")


def _cut(text: str, para: _Para, max_chars: int) -> Iterator[_Para]:
    """Cut a giant paragraph at sentence ends (or spaces) into pieces of `max_chars` at most."""
    start, end, edits = para
    while end - start > max_chars:
        edit_starts = [e[0] for e in edits]
        cut = _cut_point(text, start, start + max_chars, edits, edit_starts)
        if cut is None:
            break
        a, b = cut
        yield _Para(start, a, edits[:bisect_left(edit_starts, a)])
        start, edits = b, edits[bisect_left(edit_starts, b):]
    yield _Para(start, end, edits)


def _cut_point(text: str, start: int, limit: int, edits: list[Edit], edit_starts: list[int]) -> tuple[int, int] | None:
    """The last whitespace run before `limit` that follows a sentence end, else the last one at all."""
    fallback = None
    for m in reversed(list(_SPACE_RUN.finditer(text, start + (limit - start) // 2, limit))):
        cut = _cuttable(m.start(), m.end(), edits, edit_starts)
        if cut and _ends_sentence(text, start, cut[0]):
            return cut
        fallback = fallback or cut
    return fallback


def _cuttable(a: int, b: int, edits: list[Edit], edit_starts: list[int]) -> tuple[int, int] | None:
    """A whitespace run, or the line join it is part of; none inside a de-hyphenation."""
    i = bisect_right(edit_starts, a) - 1
    if i < 0 or edits[i][1] <= a:
        return a, b
    return edits[i][:2] if edits[i][2] == " " else None


def _normalize_chunk(text: str, paras: list[_Para], orthography: str) -> Normalized:
    """Unwrap the paragraphs of one block, then clean their characters.

    A "\n\n" maps onto the whole gap between its paragraphs, from the end of
    the last char before it to the start of the first after it, as in `_join`.
    """
    start, end = paras[0].start, paras[-1].end
    layer = _Layer(_translate(text[start:end]), np.arange(start, end), np.arange(start + 1, end + 1))
    edits = []
    for i, para in enumerate(paras):
        if i:
            edits.append((paras[i - 1].end - start, para.start - start, PARAGRAPH_SEP))
        edits.extend((a - start, b - start, r) for a, b, r in para.edits)
    layer = _rewrite(layer, edits)
    for step in _STEPS:
        layer = step(layer)
    if orthography == PRE_1918:
        layer = _rewrite(layer, _orthography_edits(layer.text))
    return Normalized(layer.text, layer.starts, layer.ends, orthography)


def _join(parts: list[Normalized]) -> Normalized:
    """Concatenate blocks with "\\n\\n" separators that span the gaps between them."""
    texts, starts, ends = [], [], []
    for i, part in enumerate(parts):
        if i:
            gap = (parts[i - 1].ends[-1], part.starts[0])
            texts.append(PARAGRAPH_SEP)
            starts.append(np.full(len(PARAGRAPH_SEP), gap[0], np.int64))
            ends.append(np.full(len(PARAGRAPH_SEP), gap[1], np.int64))
        texts.append(part.text)
        starts.append(part.starts)
        ends.append(part.ends)
    return Normalized("".join(texts), np.concatenate(starts), np.concatenate(ends), parts[0].orthography)


# ---------------------------------------------------------------- offset-mapped rewriting

@dataclass(frozen=True, slots=True)
class _Layer:
    """Text under normalization, with each char's original span."""

    text: str
    starts: np.ndarray
    ends: np.ndarray


def _rewrite(layer: _Layer, edits: Iterable[Edit]) -> _Layer:
    """Apply sorted, disjoint edits (a, b, r) that replace text[a:b] by r.

    r of the same length maps char to char; a shorter r, and whitespace
    (" ", "\n\n"), maps every char onto the whole of [a, b); "" deletes and
    glues [a, b) to the neighbouring non-space char (left first), so "миръ"
    still spans its ъ.
    """
    edits = list(edits)
    if not edits:
        return layer
    text = layer.text
    parts, pos = [], 0
    for a, b, r in edits:
        parts += (text[pos:a], r)
        pos = b
    parts.append(text[pos:])
    new_text = "".join(parts)
    a, b, r = zip(*edits)
    a, b = np.asarray(a, np.int64), np.asarray(b, np.int64)
    r_len = np.fromiter(map(len, r), np.int64, len(r))
    glued = r_len == 0
    whole = (r_len != b - a) | np.fromiter(map(str.isspace, r), bool, len(r))
    if not (glued | whole).any():
        return _Layer(new_text, layer.starts, layer.ends)

    # pieces alternate: the kept text before edit i, then edit i's replacement
    src_a = np.empty(2 * len(a) + 1, np.int64)
    src_b, length, cover = np.empty_like(src_a), np.empty_like(src_a), np.zeros(len(src_a), bool)
    src_a[0::2], src_b[0::2] = np.append(0, b), np.append(a, len(text))
    src_a[1::2], src_b[1::2] = a, b
    length[0::2], length[1::2] = src_b[0::2] - src_a[0::2], r_len
    cover[1::2] = whole
    piece = np.repeat(np.arange(len(length)), length)
    out_at = np.cumsum(length) - length
    offset = np.arange(len(new_text), dtype=np.int64) - out_at[piece]
    covers = cover[piece]
    first_src = np.where(covers, src_a[piece], src_a[piece] + offset)
    last_src = np.where(covers, src_b[piece] - 1, src_a[piece] + offset)
    starts, ends = layer.starts[first_src], layer.ends[last_src]
    where = out_at[1::2][glued]
    _glue(new_text, starts, ends, where, layer.starts[a[glued]], layer.ends[b[glued] - 1])
    return _Layer(new_text, starts, ends)


def _glue(text: str, starts: np.ndarray, ends: np.ndarray, where: np.ndarray,
          del_starts: np.ndarray, del_ends: np.ndarray) -> None:
    """Widen the neighbour of each deletion over it: the char before unless it is a space, else the one after."""
    left = np.fromiter((p > 0 and not text[p - 1].isspace() for p in where.tolist()), bool, len(where))
    right = np.fromiter((p < len(text) and not text[p].isspace() for p in where.tolist()), bool, len(where))
    right &= ~left
    np.maximum.at(ends, where[left] - 1, del_ends[left])
    np.minimum.at(starts, where[right], del_starts[right])


# ---------------------------------------------------------------- characters

_OLD_LETTERS = {"ѣ": "е", "Ѣ": "Е", "і": "и", "І": "И", "ї": "и", "Ї": "И", "ѳ": "ф", "Ѳ": "Ф", "ѵ": "и", "Ѵ": "И"}
_SPACES = "\t\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_CHARS = str.maketrans({
    **{ch: " " for ch in _SPACES},
    **{ch: "—" for ch in "\u2012\u2013\u2015"},  # ‒ – ―
    **{ch: "-" for ch in "\u2010\u2011"},  # hyphen, non-breaking hyphen
    "‹": "«", "›": "»",
    **_OLD_LETTERS,
})
_NO_STRESS = dict.fromkeys(map(ord, "\u0300\u0301"))  # grave and acute stress marks
_TRANSLATED = re.compile(f"[{re.escape(''.join(map(chr, _CHARS)))}]")
# patterns open with the char they look for (not a repeat of it), so that re scans for it fast
_INVISIBLE_RUN = re.compile(f"[{re.escape(_INVISIBLE)}][{re.escape(_INVISIBLE)}]*")
_MARKS = re.compile("[\u0300-\u036f][\u0300-\u036f]*")  # combining diacritics
_SPACES_RUN = re.compile("  +")
_FINAL_HARD_SIGN = re.compile(r"[ъЪ](?<=[^\W\d_].)(?![^\W\d_])")
_DASH = re.compile(r"--?(?![^ \n])")
_QUOTE = re.compile("[\"„“”‟‘’‚‛]")
_OPENING_QUOTES = "„‚"
_APOSTROPHES = "‘’‛"
_BEFORE_OPENING = "([{«—-/"
_AFTER_CLOSING = ".,;:!?)]}»…—-"
_HOMOGLYPHS = str.maketrans("aceopxyikëACEOPXYIBHKMTË", "асеорхуикёАСЕОРХУИВНКМТЁ")
_LATIN = "A-Za-zëË"
_LATIN_BESIDE_CYRILLIC = re.compile(f"[{_LATIN}](?:(?<=[\u0400-\u04ff].)|(?=[\u0400-\u04ff]))")
_LATIN_LETTER = re.compile(f"[{_LATIN}]")


def _translate(text: str) -> str:
    """Apply `_CHARS`, which maps char to char (spaces, dashes, ‹›, pre-1918 letters)."""
    return _TRANSLATED.sub(lambda m: m.group().translate(_CHARS), text)


def _delete_invisible(layer: _Layer) -> _Layer:
    """Drop soft hyphens, zero-width and control chars."""
    return _rewrite(layer, ((m.start(), m.end(), "") for m in _INVISIBLE_RUN.finditer(layer.text)))


def _compose_marks(layer: _Layer) -> _Layer:
    """Compose decomposed й and ё; drop stress marks ("за́мок" → "замок")."""
    return _rewrite(layer, _mark_edits(layer.text))


def _mark_edits(text: str) -> Iterator[Edit]:
    for m in _MARKS.finditer(text):
        a, b = m.span()
        if a == 0:
            continue
        cluster = text[a - 1:b]
        composed = unicodedata.normalize("NFC", cluster).translate(_NO_STRESS)
        if composed == cluster[0]:
            yield (a, b, "")
        elif len(composed) < len(cluster):
            yield (a - 1, b, composed)


def _collapse_spaces(layer: _Layer) -> _Layer:
    """One space between words (line content has none at its edges)."""
    return _rewrite(layer, ((m.start(), m.end(), " ") for m in _SPACES_RUN.finditer(layer.text)))


def _drop_final_hard_signs(layer: _Layer) -> _Layer:
    """"миръ" → "мир": the pre-1918 ъ after a final consonant; its span stays with the word."""
    return _rewrite(layer, ((m.start(), m.end(), "") for m in _FINAL_HARD_SIGN.finditer(layer.text)))


def _dashes(layer: _Layer) -> _Layer:
    """"-" or "--" between spaces is a dash."""
    text = layer.text
    return _rewrite(layer, ((m.start(), m.end(), "—") for m in _DASH.finditer(text)
                            if m.start() == 0 or text[m.start() - 1] in " \n"))


def _quotes(layer: _Layer) -> _Layer:
    """Every quote mark becomes « or », by which side of it touches a word."""
    return _rewrite(layer, _quote_edits(layer.text))


def _quote_edits(text: str) -> Iterator[Edit]:
    depth, paragraph_start = 0, 0
    for m in _QUOTE.finditer(text):
        i, quote = m.start(), m.group()
        if (p := text.rfind("\n", paragraph_start, i)) >= 0:
            depth, paragraph_start = 0, p + 1
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if quote in _APOSTROPHES and before.isalpha() and after.isalpha():
            continue
        opens_left = before.isspace() or before in _BEFORE_OPENING
        closes_right = after.isspace() or after in _AFTER_CLOSING
        if quote in _OPENING_QUOTES:
            opening = True
        elif opens_left != closes_right:
            opening = opens_left
        else:
            opening = depth == 0
        depth = depth + 1 if opening else max(depth - 1, 0)
        yield (i, i + 1, "«" if opening else "»")


def _homoglyphs(layer: _Layer) -> _Layer:
    """Latin letters typed inside a Cyrillic word ("CCCР", "Россiя") become Cyrillic."""
    return _rewrite(layer, _homoglyph_edits(layer.text))


def _homoglyph_edits(text: str) -> Iterator[Edit]:
    done = 0
    for m in _LATIN_BESIDE_CYRILLIC.finditer(text):
        if m.start() < done:
            continue
        a = b = m.start()
        while a > 0 and text[a - 1].isalpha():
            a -= 1
        while b < len(text) and text[b].isalpha():
            b += 1
        done = b
        word = text[a:b]
        fixed = word.translate(_HOMOGLYPHS)
        if not _LATIN_LETTER.search(fixed):
            yield (a, b, fixed)


_STEPS = (_delete_invisible, _compose_marks, _collapse_spaces, _drop_final_hard_signs, _dashes, _quotes, _homoglyphs)


# ---------------------------------------------------------------- pre-1918 orthography

_CYRILLIC_WORD = re.compile(r"[\u0400-\u04ff]+")
_PRONOUNS = {"ея": "её", "нея": "неё"}
_ZS_PREFIX = re.compile(r"(?:бе|во|и|ни|ра|ро|чре|чере)з(?=[кпстфхцчшщ])")
_ENDING_FIXES = (("аго", 3, "о"), ("аго", 3, "е"), ("яго", 3, "е"), ("ыя", 1, "е"), ("ия", 1, "е"))
_PLURAL_ENDINGS = (("ыя", "ые"), ("ия", "ие"))


def _orthography(text: str) -> str:
    """pre-1918 when old letters and final ъ make up a visible share of the words."""
    markers = sum(map(text.count, _OLD_LETTERS)) + sum(1 for _ in _FINAL_HARD_SIGN.finditer(text))
    words = text.count(" ") + text.count("\n") + 1
    return PRE_1918 if markers >= 2 and markers * 50 >= words else MODERN


def _modern(word: str) -> str:
    """A word with the pre-1918 letters and the final ъ modernized, for dictionary look-ups."""
    return word.translate(_CHARS).rstrip("ъЪ")


def _orthography_edits(text: str) -> Iterator[Edit]:
    for m in _CYRILLIC_WORD.finditer(text):
        modern = _modern_form(m.group())
        if modern:
            yield (m.start(), m.end(), modern)


@lru_cache(maxsize=200_000)
def _modern_form(word: str) -> str | None:
    """The modern spelling of a word pymorphy3 does not know, if some of the fixes make it known.

    The fixes, all letter for letter: -аго/-яго → -ого/-его, -ыя/-ия → -ые/-ие
    (plural adjectives), a mid-word ъ typed for ѣ → е ("нъмецкий"), prefix з
    before a voiceless consonant → с ("разсказ"); and ея → её.
    """
    low = word.lower()
    target = _PRONOUNS.get(low)
    if target is None:
        if _known(low):
            return None
        target = next((c for c in _candidates(low) if _acceptable(low, c)), None)
        if target is None:
            return None
    return "".join(t.upper() if w.isupper() else t for w, t in zip(word, target))


def _candidates(low: str) -> Iterator[str]:
    """The word under each combination of the fixes that apply, fewest fixes first."""
    fixes = [{i: "е" for i in range(1, len(low) - 1) if low[i] == "ъ"}]
    fixes += [{len(low) - back: new} for ending, back, new in _ENDING_FIXES if low.endswith(ending)]
    if m := _ZS_PREFIX.match(low):
        fixes.append({m.end() - 1: "с"})
    fixes = [fix for fix in fixes if fix]
    for k in range(1, len(fixes) + 1):
        for combo in combinations(fixes, k):
            chars = list(low)
            for fix in combo:
                for i, ch in fix.items():
                    chars[i] = ch
            yield "".join(chars)


def _acceptable(low: str, candidate: str) -> bool:
    if not _known(candidate):
        return False
    if any(low.endswith(old) and candidate.endswith(new) for old, new in _PLURAL_ENDINGS):
        return any(p.tag.POS in _ADJECTIVAL and "plur" in p.tag for p in morph.analyzer().parse(candidate))
    return True
