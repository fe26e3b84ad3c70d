"""Pictures of what letopis found in a text, drawn by spaCy's displaCy.

``letopis show`` writes one HTML page: every mention (actors, references
through adjectives, dates, treaties, event triggers) as displaCy spans over
the normalized text, and optionally the dependency trees Natasha parsed.
"""
from __future__ import annotations

from spacy import displacy
from spacy.tokens import Doc, Span

from .records import ACTOR_LABELS

# displaCy's colour scheme (spacy.displacy.render.DEFAULT_LABEL_COLORS), by the nearest spaCy label
LABEL_COLORS = {
    "PER": "#aa9cfc",  # PERSON
    "ORG": "#7aecec",  # ORG
    "LOC": "#feca74",  # GPE
    "DATE": "#bfe1d9",  # DATE
    "TREATY": "#ff8197",  # LAW
    "EVENT": "#ffeb80",  # EVENT
}
GROUP = "letopis"
# span group → the label its spans are drawn with (actors take theirs from their type)
GROUPS = {"actor_refs": "", "dates": "DATE", "treaties": "TREATY", "events": "EVENT"}


def _label(span: Span, label: str) -> str:
    if label:
        return label
    base = ACTOR_LABELS.get(span._.actor_type, span.label_)
    return f"{base}: {span._.canonical}" if span._.canonical else base


def mentions_html(doc: Doc) -> str:
    """The text with every mention marked, overlapping ones stacked (displaCy "span" style)."""
    spans = [Span(doc, s.start, s.end, label=_label(s, "")) for s in doc.ents]
    for key, label in GROUPS.items():
        spans += [Span(doc, s.start, s.end, label=_label(s, label)) for s in doc.spans.get(key, ())]
    doc.spans[GROUP] = sorted(spans, key=lambda s: (s.start, -s.end))
    colors = {s.label_: LABEL_COLORS.get(s.label_.split(":")[0], "#ddd") for s in spans}
    return displacy.render(doc, style="span", page=False, options={"spans_key": GROUP, "colors": colors})


def trees_html(doc: Doc) -> str:
    """Natasha's dependency tree of every sentence (displaCy "dep" style)."""
    sents = [s.as_doc() for s in doc.sents if s.text.strip()]
    return displacy.render(sents, style="dep", page=False, options={"compact": True, "distance": 110})


def page(doc: Doc, *, trees: bool = False, title: str = "letopis") -> str:
    """A standalone HTML page of the mentions (and, if asked, the trees)."""
    body = mentions_html(doc) + (trees_html(doc) if trees else "")
    return (
        f'<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>{title}</title></head>'
        f'<body style="font-family:sans-serif;max-width:60em;margin:2em auto">{body}</body></html>'
    )
