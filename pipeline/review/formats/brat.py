"""BRAT standoff, out and back.

Export: a brat collection — per document ``NAME.txt`` (the original text,
line ends untouched, so offsets hold) and ``NAME.ann`` with a ``T`` line per
reviewed span (split into fragments at line breaks, as brat wants), an ``R``
line per relation, and an ``AnnotatorNotes`` line carrying our mention id
(and ``[unreviewed]`` where nobody has reviewed the span yet); plus
``annotation.conf``, ``visual.conf`` (displaCy colours) and
``letopis.json``, which maps files to documents and remembers what was
exported.

Import: every document is reconciled with the store except those nobody had
reviewed when they were exported and whose ``.ann`` is unchanged since.
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from ..model import LABELS, RELATIONS
from ..render import LABEL_COLORS
from ..run import ReviewError, ReviewRun
from ..store import REVIEWED, Store
from .common import DocExport, Imported, Report, documents, file_stem, inside, reconcile

MANIFEST = "letopis.json"
NOTE = re.compile(r"letopis:(\S+)")
UNREVIEWED = "[unreviewed]"
_ENTITY = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t")
_NOTE = re.compile(r"^#\d+\tAnnotatorNotes (T\d+)\t(.*)$")


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A span cut at line breaks into the pieces brat draws (whitespace-only pieces dropped)."""
    pieces = []
    for m in re.finditer(r"[^\r\n]+", text[start:end]):
        a, b = start + m.start(), start + m.end()
        if text[a:b].strip():
            pieces.append((a, b))
    return pieces or [(start, end)]


def ann(doc: DocExport, *, notes: bool = True) -> str:
    """The ``.ann`` of a document's reviewed spans and their relations."""
    lines, t_of = [], {}
    unreviewed_doc = doc.review_status == "unreviewed"
    for n, span in enumerate(doc.spans, 1):
        t_of[span.id] = f"T{n}"
        pieces = fragments(doc.text, span.start, span.end)
        where = ";".join(f"{a} {b}" for a, b in pieces)
        shown = " ".join(doc.text[a:b] for a, b in pieces)
        lines.append(f"T{n}\t{span.label} {where}\t{shown}")
    for n, (relation, head, tail) in enumerate(doc.relations, 1):
        lines.append(f"R{n}\t{relation} Arg1:{t_of[head]} Arg2:{t_of[tail]}")
    if notes:
        for n, span in enumerate(doc.spans, 1):
            flag = f" {UNREVIEWED}" if span.status == "unreviewed" and not unreviewed_doc else ""
            lines.append(f"#{n}\tAnnotatorNotes T{n}\tletopis:{span.id}{flag}")
    return "".join(line + "\n" for line in lines)


def annotation_conf() -> str:
    relations = "".join(f"{r}\tArg1:<ENTITY>, Arg2:<ENTITY>\n" for r in RELATIONS)
    return f"[entities]\n{chr(10).join(LABELS)}\n\n[relations]\n{relations}\n[events]\n\n[attributes]\n"


def visual_conf() -> str:
    labels = "".join(f"{x} | {x}\n" for x in LABELS)
    drawing = "".join(f"{x}\tbgColor:{LABEL_COLORS[x]}\n" for x in LABELS)
    return f"[labels]\n{labels}\n[drawing]\n{drawing}"


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def write_document(dest: Path, stem: str, doc: DocExport, *, notes: bool = True) -> tuple[Path, Path, str]:
    txt, standoff = inside(dest, stem + ".txt"), inside(dest, stem + ".ann")
    with txt.open("w", encoding="utf-8", newline="") as f:
        f.write(doc.text)
    content = ann(doc, notes=notes)
    standoff.write_text(content, encoding="utf-8", newline="")
    return txt, standoff, content


def export(run: ReviewRun, store: Store, dest: Path, report: Report, *, reviewed_only: bool = False) -> None:
    taken: set[str] = set()
    manifest: dict[str, dict[str, object]] = {}
    for doc in documents(run, store, report, reviewed_only=reviewed_only):
        stem = file_stem(doc.doc_id, taken)
        txt, standoff, content = write_document(dest, stem, doc)
        manifest[stem] = {"doc_id": doc.doc_id, "sha256": doc.sha256, "ann_sha256": _sha(content),
                          "review_status": doc.review_status}
        report.written += [txt, standoff]
    for name, content in (("annotation.conf", annotation_conf()), ("visual.conf", visual_conf()),
                          (MANIFEST, json.dumps({"run": str(run.out), "documents": manifest},
                                                ensure_ascii=False, indent=1))):
        path = inside(dest, name)
        path.write_text(content, encoding="utf-8")
        report.written.append(path)


# ---- import -----------------------------------------------------------------------------


def read_ann(content: str, text: str, where: str, report: Report) -> list[Imported]:
    """The entity spans of an ``.ann`` with the ids and flags of their notes."""
    entities: dict[str, tuple[str, int, int]] = {}
    notes: dict[str, str] = {}
    for line in content.splitlines():
        if m := _ENTITY.match(line):
            bounds = [int(x) for x in re.split(r"[ ;]", m.group(3))]
            entities[m.group(1)] = (m.group(2), min(bounds[::2]), max(bounds[1::2]))
        elif m := _NOTE.match(line):
            notes[m.group(1)] = notes.get(m.group(1), "") + " " + m.group(2)
    items = []
    for t, (label, start, end) in entities.items():
        if label not in LABELS or not 0 <= start < end <= len(text):
            report.warnings.append(f"{where}: {t} skipped ({label} {start}..{end})")
            continue
        note = notes.get(t, "")
        ours = NOTE.search(note)
        items.append(Imported(ours.group(1) if ours else None, label, start, end, UNREVIEWED in note))
    return items


def _doc_id(stem: str, run: ReviewRun, manifest: dict[str, dict[str, object]]) -> str | None:
    if stem in manifest:
        return str(manifest[stem]["doc_id"])
    return next((d for d in (stem + ".txt", stem) if d in run), None)


def import_(path: Path, run: ReviewRun, store: Store, reviewer: str, report: Report) -> None:
    if not path.is_dir():
        raise ReviewError(400, f"{path}: give the folder of a brat collection (.ann and .txt files)")
    manifest_path = path / MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))["documents"] if manifest_path.is_file() else {}
    for standoff in sorted(path.rglob("*.ann")):
        stem = standoff.relative_to(path).with_suffix("").as_posix()
        doc_id = _doc_id(stem, run, manifest)
        if doc_id is None:
            report.warnings.append(f"{standoff}: no document of the run is called {stem}; skipped")
            continue
        content = standoff.read_bytes().decode("utf-8")
        exported = manifest.get(stem, {})
        if exported.get("review_status") == "unreviewed" and exported.get("ann_sha256") == _sha(content):
            continue  # exported before anyone reviewed it, untouched since
        text = run.text(doc_id)
        source = standoff.with_suffix(".txt")
        if source.is_file() and source.read_bytes().decode("utf-8") != text:
            report.warnings.append(f"{source}: not the text of {doc_id}; skipped")
            continue
        items = read_ann(content, text, str(standoff), report)
        reviewed = not any(i.unreviewed for i in items) and (
            not exported or exported.get("review_status") == REVIEWED or exported.get("ann_sha256") != _sha(content)
        )
        reconcile(run, store, doc_id, items, reviewed=reviewed, reviewer=reviewer or "brat", report=report)

