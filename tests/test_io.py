"""pipeline.io: encodings detected from the bytes alone, failures as DocumentError."""
from __future__ import annotations

import hashlib
import pickle
import random
from pathlib import Path

import pytest

from pipeline.io import DocumentError, Source, decode, read_source

SEED = Path(__file__).resolve().parents[1] / "corpus" / "000_a17717a12c9184be.txt"
SEED_TEXT = SEED.read_text(encoding="utf-8")

# real sentences from the seed, and from pre-1918 prose
SENTENCES = [
    "Подписав этот договор, Советская Россия и Германия, исключенные из мирового сообщества",
    "Это поражение вызвало острые внутренние разногласия в руководстве РКП(б):",
    "В 1926 - 1927 гг. советско-британские отношения продолжали ухудшаться.",
    "3. Китай как главный партнер в Азии",
    "Тильзитскій миръ былъ заключенъ 25 іюня (7 іюля) 1807 г. между Россіей и Франціей",
]
# about 30 characters each: too little text for statistics, enough for the decision
SHORT_LINES = [
    "смерть Ленина не привели к",
    "развалу советской власти",
    "Коминтерн призвал коммунистов",
    "СОВЕТСКО-ГЕРМАНСКИЕ ОТНОШЕНИЯ",
    "Лига Наций, великая держава",
    "ГЛАВА 3. КИТАЙ И СССР",
    "Штреземанн заявил, что она",
    "Императоръ Наполеонъ",
]


def koi8_safe(text: str) -> str:
    """KOI8-R has no «», em dash or pre-1918 letters."""
    return text.translate(str.maketrans({"«": '"', "»": '"', "—": "-", "і": "и", "ѣ": "е"}))


@pytest.mark.parametrize("text", SENTENCES + SHORT_LINES)
@pytest.mark.parametrize("codec", ["utf-8", "cp1251", "koi8-r"])
def test_plain_encodings(text: str, codec: str) -> None:
    if codec == "koi8-r":
        text = koi8_safe(text)
    try:
        data = text.encode(codec)
    except UnicodeEncodeError:
        pytest.skip(f"{codec} cannot encode {text!r}")
    source = decode(data)
    assert (source.text, source.encoding) == (text, codec)


@pytest.mark.parametrize("text", SENTENCES + SHORT_LINES)
@pytest.mark.parametrize(
    ("bom", "codec", "name"),
    [
        (b"\xef\xbb\xbf", "utf-8", "utf-8-sig"),
        (b"\xff\xfe", "utf-16-le", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be", "utf-16-be"),
        (b"", "utf-16-le", "utf-16-le"),
        (b"", "utf-16-be", "utf-16-be"),
    ],
)
def test_unicode_encodings_with_and_without_bom(text: str, bom: bytes, codec: str, name: str) -> None:
    source = decode(bom + text.encode(codec))
    assert (source.text, source.encoding) == (text, name)


def test_utf16_without_bom_and_without_ascii() -> None:
    """No space, no digit: every high byte is 0x04, no NUL at all."""
    assert decode("Россия".encode("utf-16-le")).encoding == "utf-16-le"
    assert decode("Россия".encode("utf-16-be")).encoding == "utf-16-be"


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "utf-16", "cp1251", "koi8-r"])
def test_whole_seed(codec: str) -> None:
    text = koi8_safe(SEED_TEXT) if codec == "koi8-r" else SEED_TEXT
    data = text.encode(codec)
    source = decode(data)
    assert source.text == text
    assert source.size == len(data)
    assert source.sha256 == hashlib.sha256(data).hexdigest()


def test_text_is_kept_as_is_but_for_the_bom() -> None:
    text = "  \r\nСо-\r\nветская Россия\t\n\n\n"
    assert decode(b"\xef\xbb\xbf" + text.encode("utf-8")).text == text
    assert decode(text.encode("cp1251")).text == text


def test_source_is_frozen() -> None:
    source = decode("текст".encode())
    assert isinstance(source, Source)
    with pytest.raises(AttributeError):
        source.text = "другой"  # type: ignore[misc]


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n", "\n\n".encode("utf-16")])
def test_empty_is_skipped(data: bytes) -> None:
    with pytest.raises(DocumentError, match="empty file") as err:
        decode(data)
    assert err.value.status == "skipped"


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
        random.Random(1).randbytes(4096),
        bytes(b or 1 for b in random.Random(2).randbytes(4096)),  # no NUL, many controls
        "текст\x00с нулём".encode("cp1251"),
        "текст\x01\x02\x03\x04".encode(),
    ],
)
def test_binary_is_an_error(data: bytes) -> None:
    with pytest.raises(DocumentError, match="binary file") as err:
        decode(data)
    assert err.value.status == "error"


@pytest.mark.parametrize(
    "data",
    [
        "Café crème à la française, déjà vu, naïve façade, voilà.".encode("latin-1"),
        bytes(range(0xC0, 0x100)) * 8,  # every Cyrillic letter equally often: no language
        b"\xef\xbb\xbf\xff\xfe\xfd",  # UTF-8 BOM, then no UTF-8
    ],
)
def test_undecodable_is_an_error(data: bytes) -> None:
    with pytest.raises(DocumentError, match="undecodable") as err:
        decode(data)
    assert err.value.status == "error"


def test_read_source(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(SENTENCES[0].encode("cp1251"))
    source = read_source(path)
    assert (source.text, source.encoding) == (SENTENCES[0], "cp1251")
    assert read_source(str(path)).sha256 == source.sha256


def test_read_source_too_large(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes("слово ".encode() * 100)
    with pytest.raises(DocumentError, match=r"file too large: 1100 bytes > limit 1000") as err:
        read_source(path, max_bytes=1000)
    assert err.value.status == "error"
    assert read_source(path, max_bytes=1100).size == 1100


def test_read_source_empty(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.touch()
    with pytest.raises(DocumentError, match="empty file") as err:
        read_source(path)
    assert err.value.status == "skipped"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (random.Random(3).randbytes(1000), "binary file"),
        ("Café crème à la française, déjà vu, naïve façade.".encode("latin-1"), "undecodable"),
        (b"\n \n", "empty file"),
    ],
)
def test_read_source_bad_files(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(DocumentError, match=message):
        read_source(path)


def test_document_error_survives_pickling() -> None:
    """Worker processes send errors back pickled; the status must come too."""
    err = pickle.loads(pickle.dumps(DocumentError("empty file", "skipped")))
    assert (str(err), err.status) == ("empty file", "skipped")


@pytest.mark.parametrize("make", [lambda p: p / "missing.txt", lambda p: p])
def test_read_source_os_errors(tmp_path: Path, make) -> None:
    with pytest.raises(DocumentError, match="cannot read file") as err:
        read_source(make(tmp_path))
    assert err.value.status == "error"
