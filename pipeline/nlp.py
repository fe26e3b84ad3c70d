"""The spaCy ``Language`` of letopis, with Natasha inside.

Natasha (razdel segmentation, slovnet morphology, syntax and NER) runs as the
pipeline's tokenizer, the way spacy-stanza wraps Stanza: ``nlp(text)`` returns
a ``Doc`` with words, spaces, POS, morphology, dependency trees, entities and
pymorphy3 lemmas, so spaCy ``Matcher``/``EntityRuler``/``DependencyMatcher``
components run over it. spaCy's Russian models are not on PyPI, so the
language is ``spacy.blank("ru")``'s plus this tokenizer and our components,
all described by ``letopis.cfg``.

Natasha is fed one paragraph at a time (its NER keeps a whole input in one
tensor), batched across paragraphs for speed; paragraphs longer than
``max_chunk_chars`` are cut at sentence boundaries first.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterator, Sequence

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab
from threadpoolctl import ThreadpoolController

from . import cache, morph

CONFIG = Path(__file__).with_name("letopis.cfg")
WHITESPACE = "SPACE"


@dataclass(slots=True)
class DocContext:
    """What earlier blocks of the same document established, for later blocks.

    A long book is analysed in blocks (``normalize.blocks``); components that
    need document-level memory (the year a bare "24 апреля" belongs to, the
    treaty "этот договор" refers to) read and update ``doc._.context``. Each
    field belongs to the component that writes it.
    """

    last_date: object | None = None  # dates: a dates.DateAnchor, what the dates so far establish
    treaties: object | None = None  # treaties: a treaties.TreatyMemory (antecedents, states, last date)
    names: dict[str, tuple[str, str]] = field(default_factory=dict)  # actors: one-word name lemma -> (type, canonical)
    surnames: set[str] = field(default_factory=set)  # actors: surnames as written in full names ("Шумов")
    parties: dict[str, str] = field(default_factory=dict)  # actors: member noun -> party it last meant
    crafts: set[str] = field(default_factory=set)  # actors: lemmas of ships' and craft's names ("дискавери")
    monarchs: dict[str, str] = field(default_factory=dict)  # actors: given name -> monarch last named ("петр" -> "Пётр I")


Doc.set_extension("context", default=None, force=True)


@dataclass(frozen=True, slots=True)
class NatashaModels:
    """Natasha's bundled models: loaded once per process."""

    morph: object
    syntax: object
    ner: object


NATASHA_PACKAGES = ("natasha", "slovnet", "navec", "numpy")


@lru_cache(maxsize=1)
def natasha_models() -> NatashaModels:
    """From the derived-data cache (0.2 s) once they have been built from Natasha's
    packed files (0.8 s: their vocabularies are rebuilt word by word)."""
    return cache.cached("natasha", _build_natasha_models, [Path(__file__)], NATASHA_PACKAGES)


def _build_natasha_models() -> NatashaModels:
    from natasha import NewsEmbedding, NewsMorphTagger, NewsNERTagger, NewsSyntaxParser

    emb = NewsEmbedding()
    models = NatashaModels(NewsMorphTagger(emb), NewsSyntaxParser(emb), NewsNERTagger(emb))
    _share_words(models)
    return models


def _share_words(models: NatashaModels) -> None:
    """Each tagger packs the same 250,000-word vocabulary: one copy serves all three
    (70 MB less in every process; the vocabularies are only read)."""
    encoders = [model.infer.encoder for model in (models.morph, models.syntax, models.ner)]  # type: ignore[attr-defined]
    first = encoders[0].words_vocab
    for encoder in encoders[1:]:
        if encoder.words_vocab.items == first.items:
            encoder.words_vocab = first


@lru_cache(maxsize=1)
def _blas() -> ThreadpoolController:
    """Natasha's matrices are small: extra BLAS threads only spin and steal the cores
    other workers run on (one thread is 3-4 times faster here, even alone)."""
    return ThreadpoolController()


@dataclass(slots=True)
class _Sentence:
    start: int  # offset in the text
    tokens: list[tuple[int, int, str]]  # (start, stop, text), offsets in the text


def _paragraph_spans(text: str) -> Iterator[tuple[int, int]]:
    """Non-empty lines of ``text`` (normalized text keeps one paragraph per line)."""
    pos = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            start = pos + line.index(stripped[0])
            yield start, start + len(stripped)
        pos += len(line) + 1


# a date in brackets closed after its year word: "23 декабря 1794 г. (3 января 1795 г.) Россия и
# Австрия заключили…" — razdel ends a sentence there, the text does not
_BRACKETED_DATE_END = re.compile(r"\b(?:г|гг|в|вв|ст)\.\)$")


def _sentences(paragraph: str, sentenize: Callable) -> Iterator[tuple[int, str]]:
    """razdel's sentences of ``paragraph`` (start, text), but one that ends inside a
    sentence with a bracketed date joined to the next."""
    pending: tuple[int, int] | None = None
    for sent in sentenize(paragraph):
        start = pending[0] if pending else sent.start
        if _BRACKETED_DATE_END.search(sent.text):
            pending = (start, sent.stop)
            continue
        pending = None
        yield start, paragraph[start:sent.stop]
    if pending:
        yield pending[0], paragraph[pending[0]:pending[1]]


def _chunks(text: str, start: int, end: int, limit: int) -> Iterator[tuple[int, list[_Sentence]]]:
    """Sentences of one paragraph, grouped into NER inputs of at most ``limit`` chars."""
    from razdel import sentenize, tokenize

    group: list[_Sentence] = []
    group_start = start
    for sent_start, sent_text in _sentences(text[start:end], sentenize):
        s = start + sent_start
        tokens = [(s + t.start, s + t.stop, t.text) for t in tokenize(sent_text)]
        if not tokens:
            continue
        if group and s + len(sent_text) - group_start > limit:
            yield group_start, group
            group, group_start = [], s
        group.append(_Sentence(s, tokens))
    if group:
        yield group_start, group


def _tree(heads: list[int], rels: list[str]) -> tuple[list[int], list[str]]:
    """Make one sentence's predicted arcs a single tree (slovnet decodes arcs greedily).

    ``heads`` are 1-based with 0 for root, as slovnet gives them; the result is
    0-based with the root pointing at itself and labelled ``ROOT``.
    """
    n = len(heads)
    roots = [i for i, h in enumerate(heads) if h == 0 or not 0 < h <= n]
    root = roots[0] if roots else 0
    out = [h - 1 if 0 < h <= n else root for h in heads]
    out[root] = root
    labels = list(rels)
    for i in roots[1:]:
        out[i], labels[i] = root, "parataxis"
    for i in range(n):  # break cycles: walk up; a loop that misses the root re-attaches here
        seen, j = set(), i
        while j != root and j not in seen:
            seen.add(j)
            j = out[j]
        if j != root:
            out[i], labels[i] = root, "dep"
    labels[root] = "ROOT"
    return out, labels


class NatashaTokenizer:
    """text → ``Doc`` annotated by Natasha; spaCy's tokenizer slot, config-registered."""

    def __init__(self, vocab: Vocab, max_chunk_chars: int = 3000) -> None:
        self.vocab = vocab
        self.max_chunk_chars = max_chunk_chars

    def __call__(self, text: str) -> Doc:
        models = natasha_models()
        chunks = [
            chunk
            for start, end in _paragraph_spans(text)
            for chunk in _chunks(text, start, end, self.max_chunk_chars)
        ]
        sentences = [s for _, group in chunks for s in group]
        words = [[t[2] for t in s.tokens] for s in sentences]
        ner_inputs = [text[start : group[-1].tokens[-1][1]] for start, group in chunks]
        with _blas().limit(limits=1, user_api="blas"):
            tags = list(models.morph.map(words))
            trees = list(models.syntax.map(words))
            markups = list(models.ner.map(ner_inputs))
        entities = [
            (start + span.start, start + span.stop, span.type)
            for (start, _), markup in zip(chunks, markups)
            for span in markup.spans
        ]
        return self._doc(text, sentences, tags, trees, entities)

    def _doc(
        self,
        text: str,
        sentences: Sequence[_Sentence],
        tags: Sequence[object],
        trees: Sequence[object],
        entities: Sequence[tuple[int, int, str]],
    ) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        pos: list[str] = []
        morphs: list[str] = []
        lemmas: list[str] = []
        heads: list[int] = []
        deps: list[str] = []
        cursor = 0

        def add(word: str, tag: str, feats: str, lemma: str, head: int, dep: str) -> None:
            words.append(word)
            spaces.append(False)
            pos.append(tag)
            morphs.append(feats)
            lemmas.append(lemma)
            heads.append(head)
            deps.append(dep)

        def gap(upto: int) -> None:
            """Text between tokens: one space is the previous word's trailing space;
            anything else becomes a token hanging on the previous word (or the next)."""
            nonlocal cursor
            between, cursor = text[cursor:upto], upto
            if between[:1] == " " and words and not spaces[-1]:
                spaces[-1], between = True, between[1:]
            if between:
                index = len(words)
                tag = WHITESPACE if not between.strip() else "X"
                add(between, tag, "", between, index - 1 if index else index + 1, "dep")

        for sent, tag, tree in zip(sentences, tags, trees):
            gap(sent.tokens[0][0])
            sent_heads, sent_rels = _tree(
                [int(t.head_id) for t in tree.tokens], [t.rel for t in tree.tokens]
            )
            positions = []  # doc index of each word: a gap inside the sentence ("\xa0") shifts them
            for k, ((start, stop, word), mtok) in enumerate(zip(sent.tokens, tag.tokens)):
                gap(start)
                feats = "|".join(f"{key}={value}" for key, value in sorted(mtok.feats.items()))
                lemma = morph.lemma(word, mtok.pos, feats)
                positions.append(len(words))
                add(word, mtok.pos, feats, lemma, sent_heads[k], sent_rels[k])
                cursor = stop
            for index in positions:
                heads[index] = positions[heads[index]]
        if not words:
            blank = [text] if text else []
            return Doc(self.vocab, words=blank, spaces=[False] * len(blank))
        gap(len(text))
        doc = Doc(
            self.vocab, words=words, spaces=spaces, pos=pos, morphs=morphs,
            lemmas=lemmas, heads=heads, deps=deps,
        )
        spans = [doc.char_span(s, e, label=t, alignment_mode="expand") for s, e, t in entities]
        doc.ents = spacy.util.filter_spans([s for s in spans if s is not None])
        return doc


@registry.tokenizers("letopis.NatashaTokenizer.v1")
def create_natasha_tokenizer(max_chunk_chars: int = 3000) -> Callable[[Language], NatashaTokenizer]:
    def create(nlp: Language) -> NatashaTokenizer:
        return NatashaTokenizer(nlp.vocab, max_chunk_chars)

    return create


def build(config: Path = CONFIG) -> Language:
    """The letopis ``Language`` described by ``config`` (components imported first)."""
    from . import components  # noqa: F401  (registers the factories)

    return spacy.util.load_model_from_config(spacy.util.load_config(config), auto_fill=True)


@lru_cache(maxsize=1)
def load() -> Language:
    """The default pipeline, built once per process."""
    return build()


def annotate(nlp: Language, text: str, context: DocContext) -> Doc:
    """``nlp(text)`` with the document's context visible to every component."""
    doc = nlp.make_doc(text)
    doc._.context = context
    for _, component in nlp.pipeline:
        doc = component(doc)
    return doc
