"""Actors: typed, canonical mentions of persons, organizations, states and places.

The ``letopis_actors`` component reads Natasha's entities on the ``Doc`` and
gives each one ``span._.actor_type`` (SPEC actor type), ``span._.norm`` (its
nominative) and ``span._.canonical`` (the name of the actor it refers to, as
an index would list it; the actor id derives from type and canonical name).
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from . import morph

NATASHA_TYPES = {"PER": "PERSON", "ORG": "ORGANIZATION", "LOC": "LOCATION"}
_INFLECTED = {"NOUN", "PROPN", "ADJ"}

Span.set_extension("actor_type", default="", force=True)
Span.set_extension("norm", default="", force=True)
Span.set_extension("canonical", default="", force=True)
Span.set_extension("source", default="", force=True)


def span_nominative(span: Span) -> str:
    """Nominative of a name: its head words and their agreeing adjectives inflect,
    the rest (genitive complements like "Лига Наций") stays as written."""
    inside = {t.i for t in span}
    heads = [t for t in span if t.head.i not in inside or t.head.i == t.i]
    inflect = {t.i for t in heads}
    stack = list(heads)
    while stack:
        token = stack.pop()
        for child in token.children:
            agrees = child.pos_ in ("ADJ", "DET") or child.morph.get("VerbForm") == ["Part"]
            if child.i in inside and agrees and child.i not in inflect:
                inflect.add(child.i)
                stack.append(child)
    words = []
    for token in span:
        word = token.text
        inflectable = token.pos_ in _INFLECTED or token.morph.get("VerbForm") == ["Part"]
        if token.i in inflect and inflectable and token.morph.get("Case") != ["Nom"]:
            number = "Plur" if token.morph.get("Number") == ["Plur"] else "Sing"
            word = morph.nominative(word, token.pos_, str(token.morph), number)
        words.append(word + token.whitespace_)
    return "".join(words).strip()


@Language.factory("letopis_actors")
def make_actors(nlp: Language, name: str) -> "Actors":
    return Actors()


class Actors:
    """Type and normalize Natasha's entities."""

    def __call__(self, doc: Doc) -> Doc:
        for ent in doc.ents:
            ent._.actor_type = NATASHA_TYPES.get(ent.label_, "")
            ent._.norm = span_nominative(ent)
            ent._.canonical = ent._.norm
            ent._.source = "natasha"
        return doc
