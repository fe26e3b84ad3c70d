"""Server-rendered HTML of the review pages.

The document view writes the original text once, each stretch of it in a
``span.t`` carrying its offset (so the page script maps a text selection back
to original offsets), nested inside ``mark`` elements for the mentions,
coloured per label as displaCy does. Everything interpolated is escaped.
"""
from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any, Iterable, Mapping, Sequence
from urllib.parse import quote

import pandas as pd

from ..picture import LABEL_COLORS
from ..records import ACTOR_LABELS, DATE, EVENT, TREATY
from .model import ACTOR_TYPES, EVENT_TYPES, GRANULARITIES, LABELS, POLARITIES, QUALIFIERS, split_list
from .overlay import STATUS
from .store import UNREVIEWED

SHORTCUTS = (
    ("a", "accept"), ("r", "reject"), ("u", "undo"), ("j / k", "next / previous"),
    ("1–6", "relabel"), ("b", "boundaries ← text selection"), ("s", "add text selection"),
    ("d", "document reviewed"), ("] / [", "next / previous document"),
)


def labels_css() -> str:
    """Per-label colours as CSS (served as a static file: the pages allow no inline style)."""
    return "".join(f".l-{label}{{--c:{color}}}\n" for label, color in LABEL_COLORS.items())


def _s(value: object) -> str:
    """A cell as display text: missing values are empty."""
    return "" if value is None or value is pd.NA or (isinstance(value, float) and value != value) else str(value)


def _e(value: object) -> str:
    return escape(_s(value), quote=True)


def doc_url(doc_id: str) -> str:
    return "/doc?id=" + quote(doc_id, safe="")


def page(title: str, body: str, *, reviewer: str = "", doc_id: str = "") -> str:
    return (
        "<!doctype html><html lang=\"ru\"><head><meta charset=\"utf-8\">"
        f"<title>{_e(title)} · letopis review</title>"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        "<link rel=\"stylesheet\" href=\"/static/review.css\">"
        "<link rel=\"stylesheet\" href=\"/static/labels.css\">"
        "<script src=\"/static/review.js\" defer></script></head>"
        f"<body data-reviewer=\"{_e(reviewer)}\" data-doc=\"{_e(doc_id)}\">{body}</body></html>"
    )


def error_page(status: int, message: str) -> str:
    body = f"<main class=\"error\"><h1>{status}</h1><p>{_e(message)}</p><p><a href=\"/\">documents</a></p></main>"
    return page(f"{status}", body)


# ---- document list ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DocSummary:
    doc_id: str
    status: str
    error: str
    chars: object
    counts: Mapping[str, int]
    reviewed: int
    total: int
    review_status: str


def document_list(run_name: str, docs: Sequence[DocSummary], reviewer: str) -> str:
    total = sum(d.total for d in docs)
    reviewed = sum(d.reviewed for d in docs)
    done = sum(d.review_status == "reviewed" for d in docs)
    head = "".join(f"<th><span class=\"chip l-{label}\">{label}</span></th>" for label in LABELS)
    rows = "".join(_doc_row(d) for d in docs)
    body = (
        f"<header class=\"bar\"><h1>letopis review <small>{_e(run_name)}</small></h1>{_reviewer_box(reviewer)}</header>"
        f"<main class=\"list\"><p>{len(docs)} documents, {done} reviewed · mentions reviewed: {reviewed} of {total}"
        f" <meter min=\"0\" max=\"{max(total, 1)}\" value=\"{reviewed}\"></meter></p>"
        f"<table class=\"docs\"><thead><tr><th>document</th><th>status</th><th>characters</th>{head}"
        f"<th>review</th></tr></thead><tbody>{rows}</tbody></table></main>"
    )
    return page(run_name, body, reviewer=reviewer)


def _doc_row(d: DocSummary) -> str:
    name = (f"<a href=\"{_e(doc_url(d.doc_id))}\">{_e(d.doc_id)}</a>" if d.status == "ok"
            else f"{_e(d.doc_id)} <small class=\"err\">{_e(d.error)}</small>")
    counts = "".join(f"<td class=\"n\">{d.counts.get(label, 0) or ''}</td>" for label in LABELS)
    return (
        f"<tr class=\"rs-{_e(d.review_status)}\"><td>{name}</td><td>{_e(d.status)}</td>"
        f"<td class=\"n\">{_e(d.chars)}</td>{counts}"
        f"<td><meter min=\"0\" max=\"{max(d.total, 1)}\" value=\"{d.reviewed}\"></meter> {d.reviewed}/{d.total}"
        f" <span class=\"badge\">{_e(d.review_status.replace('_', ' '))}</span></td></tr>"
    )


def _reviewer_box(reviewer: str) -> str:
    return (f"<label class=\"who\">reviewer <input id=\"reviewer\" size=\"12\" maxlength=\"64\""
            f" value=\"{_e(reviewer)}\" autocomplete=\"off\"></label>")


# ---- the text with its mentions ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Item:
    """A highlighted span: a mention, or a date or event no mention stands for."""

    kind: str
    id: str
    label: str
    start: int
    end: int
    status: str
    ref: str = ""
    title: str = ""

    @property
    def dom_id(self) -> str:
        return f"{self.kind}-{self.id}"


def highlight(text: str, items: Iterable[Item]) -> tuple[str, list[Item]]:
    """The text as HTML with nested marks; items that cross another one (or fall
    outside the text) are returned to be listed instead."""
    out: list[str] = []
    stack: list[Item] = []
    left_out: list[Item] = []
    pos = 0

    def leaf(a: int, b: int) -> None:
        if a < b:
            out.append(f"<span class=\"t\" data-s=\"{a}\">{escape(text[a:b], quote=False)}</span>")

    for item in sorted(items, key=lambda i: (i.start, -i.end, i.kind, i.id)):
        if not 0 <= item.start < item.end <= len(text):
            left_out.append(item)
            continue
        while stack and stack[-1].end <= item.start:
            top = stack.pop()
            leaf(pos, top.end)
            pos = top.end
            out.append("</mark>")
        if stack and item.end > stack[-1].end:
            left_out.append(item)
            continue
        leaf(pos, item.start)
        pos = item.start
        out.append(
            f"<mark class=\"m l-{_e(item.label)} s-{_e(item.status)}\" id=\"{_e(item.dom_id)}\""
            f" data-kind=\"{_e(item.kind)}\" data-id=\"{_e(item.id)}\" data-label=\"{_e(item.label)}\""
            f" data-start=\"{item.start}\" data-end=\"{item.end}\" data-status=\"{_e(item.status)}\""
            f" data-ref=\"{_e(item.ref)}\" title=\"{_e(item.title)}\">"
        )
        stack.append(item)
    while stack:
        top = stack.pop()
        leaf(pos, top.end)
        pos = top.end
        out.append("</mark>")
    leaf(pos, len(text))
    return "".join(out), left_out


def items(tables: Mapping[str, pd.DataFrame], names: Mapping[str, str]) -> list[Item]:
    """What the document view highlights: every mention, and the dates and events
    that no DATE or EVENT mention refers to."""
    mentions = tables["mentions"]
    result = [
        Item("mention", r["mention_id"], _s(r["label"]), int(r["start"]), int(r["end"]), _s(r[STATUS]),
             _s(r["ref_id"]), _mention_title(r, names))
        for r in mentions.to_dict("records")
    ]
    for name, kind, id_column, label in (("dates", "date", "date_id", DATE), ("events", "event", "event_id", EVENT)):
        linked = set(mentions.loc[mentions["label"] == label, "ref_id"])
        for r in tables[name].to_dict("records"):
            if r[id_column] not in linked and r["start"] is not pd.NA and r["end"] is not pd.NA:
                title = (f"{_s(r.get('value_start'))} … {_s(r.get('value_end'))}" if kind == "date"
                         else _s(r.get("type")))
                result.append(Item(kind, r[id_column], label, int(r["start"]), int(r["end"]), _s(r[STATUS]),
                                   r[id_column], title))
    return result


def _mention_title(row: Mapping[str, Any], names: Mapping[str, str]) -> str:
    ref = _s(row["ref_id"])
    parts = [f"{row['mention_id']} {row['label']}", _s(row["norm"])]
    if ref:
        parts.append(f"→ {names.get(ref, ref)}")
    parts.append(_s(row[STATUS]))
    return " · ".join(p for p in parts if p)


# ---- the document view --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DocView:
    doc_id: str
    text: str
    tables: Mapping[str, pd.DataFrame]  # the document's tables, review applied
    names: Mapping[str, str]  # actor id -> name
    previous: str | None
    next: str | None
    review_status: str
    reviewer: str


def document_view(view: DocView) -> str:
    mentions = view.tables["mentions"]
    reviewed = int((mentions[STATUS] != UNREVIEWED).sum())
    text_html, left_out = highlight(view.text, items(view.tables, view.names))
    nav = "".join(
        f"<a class=\"nav\" id=\"{rel}-doc\" href=\"{_e(doc_url(target))}\">{arrow}</a>"
        for rel, target, arrow in (("prev", view.previous, "◀"), ("next", view.next, "▶")) if target
    )
    header = (
        "<header class=\"bar\"><a href=\"/\">documents</a>"
        f"<h1>{_e(view.doc_id)}</h1>{nav}"
        f"<meter min=\"0\" max=\"{max(len(mentions), 1)}\" value=\"{reviewed}\"></meter>"
        f"<span id=\"progress\">{reviewed}/{len(mentions)}</span>"
        f"<span class=\"badge\" id=\"doc-status\">{_e(view.review_status.replace('_', ' '))}</span>"
        f"{_reviewer_box(view.reviewer)}"
        "<button id=\"done\" data-doc-action=\"done\">document reviewed <kbd>d</kbd></button></header>"
    )
    crossing = ""
    if left_out:
        crossing = "<section class=\"panel\"><h2>Overlapping spans</h2><ul>" + "".join(
            f"<li><a href=\"#\" class=\"goto-span\" data-kind=\"{_e(i.kind)}\" data-id=\"{_e(i.id)}\""
            f" data-start=\"{i.start}\" data-end=\"{i.end}\" data-label=\"{_e(i.label)}\""
            f" data-status=\"{_e(i.status)}\"><span class=\"chip l-{_e(i.label)}\">{_e(i.label)}</span>"
            f" {_e(view.text[i.start:i.end])}</a> <small>{_e(i.status)}</small></li>"
            for i in left_out
        ) + "</ul></section>"
    aside = (
        _inspector() + crossing + _actors_panel(view) + _dates_panel(view) + _treaties_panel(view)
        + _events_panel(view)
    )
    body = (
        f"{header}<div id=\"toast\" role=\"status\"></div><main class=\"doc\">"
        f"<article id=\"text\" class=\"text\">{text_html}</article><aside>{aside}</aside></main>"
        "<footer>" + " · ".join(f"<kbd>{_e(k)}</kbd> {_e(v)}" for k, v in SHORTCUTS) + "</footer>"
    )
    return page(view.doc_id, body, reviewer=view.reviewer, doc_id=view.doc_id)


def _options(values: Iterable[tuple[str, str]], selected: str | Iterable[str] = "") -> str:
    chosen = {selected} if isinstance(selected, str) else set(selected)
    return "".join(
        f"<option value=\"{_e(v)}\"{' selected' if v in chosen else ''}>{_e(label)}</option>" for v, label in values
    )


def _plain(values: Iterable[str]) -> list[tuple[str, str]]:
    return [(v, v or "—") for v in values]


def _status(status: str) -> str:
    return f"<span class=\"badge s-{_e(status)}\">{_e(status)}</span>"


def _buttons() -> str:
    return ("<span class=\"acts\"><button data-act=\"accept\" title=\"accept\">✓</button>"
            "<button data-act=\"reject\" title=\"reject\">✗</button>"
            "<button data-act=\"reset\" title=\"undo\">↺</button></span>")


def _inspector() -> str:
    labels = _options(_plain(LABELS))
    return (
        "<section class=\"panel\" id=\"inspector\"><h2>Selected span</h2>"
        "<p id=\"sel-info\">Click a highlighted span, or move with <kbd>j</kbd>/<kbd>k</kbd>.</p>"
        "<div class=\"row\"><button data-sel=\"accept\">accept <kbd>a</kbd></button>"
        "<button data-sel=\"reject\">reject <kbd>r</kbd></button>"
        "<button data-sel=\"reset\">undo <kbd>u</kbd></button></div>"
        f"<div class=\"row\"><select id=\"relabel\" aria-label=\"label\">{labels}</select>"
        "<button data-sel=\"relabel\">relabel</button></div>"
        "<div class=\"row\"><input id=\"sel-start\" type=\"number\" min=\"0\" aria-label=\"start\">"
        "<input id=\"sel-end\" type=\"number\" min=\"1\" aria-label=\"end\">"
        "<button data-sel=\"bounds\">set boundaries</button>"
        "<button data-sel=\"bounds-selection\">← text selection <kbd>b</kbd></button></div>"
        "<h3>Add a missed span</h3>"
        f"<div class=\"row\"><select id=\"add-label\" aria-label=\"label of the new span\">{labels}</select>"
        "<button id=\"add\">add text selection <kbd>s</kbd></button></div></section>"
    )


def _goto(kind: str, target: str, text: object) -> str:
    return f"<a href=\"#\" class=\"goto\" data-goto=\"{_e(kind)}-{_e(target)}\">{_e(text)}</a>"


def _doc_actors(view: DocView) -> list[tuple[str, str, str, list[dict[str, Any]]]]:
    """The document's actors: id, name, type and their mentions, most mentioned first."""
    m = view.tables["mentions"]
    m = m[m["actor_type"].fillna("") != ""]
    actors = []
    for ref, group in m.groupby("ref_id", sort=False):
        rows = group.sort_values("start").to_dict("records")
        live = [r for r in rows if r[STATUS] != "rejected"]
        actor_type = _s((live or rows)[0]["actor_type"])
        actors.append((str(ref), view.names.get(str(ref), _s(rows[0]["canonical"])), actor_type, rows))
    return sorted(actors, key=lambda a: (-sum(r[STATUS] != "rejected" for r in a[3]), a[1]))


def _actors_panel(view: DocView) -> str:
    actors = _doc_actors(view)
    table = view.tables["actors"].set_index("actor_id")[STATUS] if len(view.tables["actors"]) else {}
    entries = []
    for actor_id, name, actor_type, rows in actors:
        label = ACTOR_LABELS.get(actor_type, "")
        mentions = ", ".join(_goto("mention", r["mention_id"], r["text"]) for r in rows if r[STATUS] != "rejected")
        boxes = "".join(
            f"<label><input type=\"checkbox\" name=\"mentions\" value=\"{_e(r['mention_id'])}\">"
            f"{_e(r['text'])} <small>@{_e(r['start'])}</small></label>"
            for r in rows if r[STATUS] != "rejected"
        )
        status = _s(table.get(actor_id, UNREVIEWED)) if len(table) else UNREVIEWED
        entries.append(
            f"<li class=\"ent\" data-kind=\"actor\" data-id=\"{_e(actor_id)}\">"
            f"<span class=\"chip l-{_e(label)}\">{_e(label)}</span> <b>{_e(name)}</b>"
            f" <small>{_e(actor_type)} · {sum(r[STATUS] != 'rejected' for r in rows)}</small> {_status(status)}"
            f"<div class=\"refs\">{mentions}</div><details><summary>edit · merge · split</summary>"
            f"<form class=\"decide\" data-action=\"edit\"><input name=\"name\" value=\"{_e(name)}\" aria-label=\"name\">"
            f"<select name=\"type\" aria-label=\"type\">{_options(_plain(ACTOR_TYPES), actor_type)}</select>"
            "<button>save</button></form>"
            "<form class=\"decide\" data-action=\"merge\"><input name=\"into\" list=\"doc-actors\" required"
            " placeholder=\"merge into (actor id)\" aria-label=\"merge into\"><button>merge</button></form>"
            f"<form class=\"decide\" data-action=\"split\"><div class=\"boxes\">{boxes}</div>"
            "<input name=\"name\" placeholder=\"new actor's name\" required aria-label=\"new actor's name\">"
            f"<select name=\"type\" aria-label=\"type\">{_options(_plain(ACTOR_TYPES), actor_type)}</select>"
            "<button>split off</button></form></details></li>"
        )
    choices = _options((a, f"{n} ({t})") for a, n, t, _ in actors)
    return _panel("Actors", "actors", entries) + f"<datalist id=\"doc-actors\">{choices}</datalist>"


def _panel(title: str, css: str, entries: list[str]) -> str:
    inner = f"<ul class=\"{css}\">{''.join(entries)}</ul>" if entries else "<p class=\"none\">none found</p>"
    return f"<section class=\"panel\"><h2>{title} <small>{len(entries)}</small></h2>{inner}</section>"


def _target(view: DocView, kind: str, label: str, record_id: str) -> str:
    """The DOM id of the span a date or event is highlighted as."""
    m = view.tables["mentions"]
    linked = m[(m["label"] == label) & (m["ref_id"] == record_id)]
    return f"mention-{linked.iloc[0]['mention_id']}" if len(linked) else f"{kind}-{record_id}"


def _dates_panel(view: DocView) -> str:
    entries = []
    for r in view.tables["dates"].to_dict("records"):
        target = _target(view, "date", DATE, r["date_id"])
        interval = f"{_s(r['value_start'])} … {_s(r['value_end'])}" if _s(r["value_start"]) else "no value"
        qualifier = f" · {_e(r['qualifier'])}" if _s(r["qualifier"]) else ""
        entries.append(
            f"<li class=\"ent s-{_e(r[STATUS])}\" data-kind=\"date\" data-id=\"{_e(r['date_id'])}\">"
            f"<a href=\"#\" class=\"goto\" data-goto=\"{_e(target)}\">{_e(r['text'])}</a> → <b>{_e(interval)}</b>"
            f" <small>{_e(r['granularity'])}{qualifier}</small> {_status(_s(r[STATUS]))}{_buttons()}"
            "<details><summary>correct the value</summary><form class=\"decide\" data-action=\"edit\">"
            f"<input type=\"date\" name=\"value_start\" value=\"{_e(r['value_start'])}\" aria-label=\"from\" required>"
            f"<input type=\"date\" name=\"value_end\" value=\"{_e(r['value_end'])}\" aria-label=\"to\" required>"
            f"<select name=\"granularity\">{_options(_plain(GRANULARITIES), _s(r['granularity']))}</select>"
            f"<select name=\"qualifier\">{_options(_plain(QUALIFIERS), _s(r['qualifier']))}</select>"
            "<button>save</button></form></details></li>"
        )
    return _panel("Dates", "dates", entries)


def _doc_treaties(view: DocView) -> pd.DataFrame:
    m = view.tables["mentions"]
    ids = set(m.loc[m["label"] == TREATY, "ref_id"].dropna()) | set(view.tables["events"]["treaty_id"].dropna())
    treaties = view.tables["treaties"]
    return treaties[treaties["treaty_id"].isin(ids)]


def _treaties_panel(view: DocView) -> str:
    entries = []
    for r in _doc_treaties(view).to_dict("records"):
        facts = " · ".join(x for x in (_s(r["kind"]), _s(r["date_signed"]), _s(r["place"])) if x)
        entries.append(
            f"<li class=\"ent s-{_e(r[STATUS])}\" data-kind=\"treaty\" data-id=\"{_e(r['treaty_id'])}\">"
            f"<b>{_e(r['name'])}</b> <small>{_e(facts)}</small> {_status(_s(r[STATUS]))}{_buttons()}"
            f"<div class=\"refs\">{_e(' · '.join(split_list(r['parties'])))}</div>"
            "<details><summary>edit</summary><form class=\"decide\" data-action=\"edit\">"
            f"<input name=\"name\" value=\"{_e(r['name'])}\" aria-label=\"name\" required>"
            f"<input name=\"kind\" value=\"{_e(r['kind'])}\" aria-label=\"kind\" placeholder=\"kind\">"
            f"<input type=\"date\" name=\"date_signed\" value=\"{_e(r['date_signed'])}\" aria-label=\"signed on\">"
            f"<input name=\"place\" value=\"{_e(r['place'])}\" aria-label=\"place\" placeholder=\"place\">"
            f"<input name=\"parties\" data-list value=\"{_e(r['parties'])}\" aria-label=\"parties\""
            " placeholder=\"party|party\"><button>save</button></form></details></li>"
        )
    return _panel("Treaties", "treaties", entries)


def _events_panel(view: DocView) -> str:
    actor_options = [(a, n) for a, n, _, _ in _doc_actors(view)]
    treaty_options = [("", "—")] + [(t, n) for t, n in zip(_doc_treaties(view)["treaty_id"],
                                                           _doc_treaties(view)["name"])]
    entries = []
    for r in view.tables["events"].to_dict("records"):
        participants = split_list(r["participants"])
        place = _s(r["place"])
        dates = " … ".join(x for x in (_s(r["date_start"]), _s(r["date_end"])) if x)
        target = _target(view, "event", EVENT, r["event_id"])
        who = ", ".join(view.names.get(a, a) for a in participants)
        entries.append(
            f"<li class=\"ent s-{_e(r[STATUS])}\" data-kind=\"event\" data-id=\"{_e(r['event_id'])}\">"
            f"<b>{_e(r['type'])}</b> <a href=\"#\" class=\"goto\" data-goto=\"{_e(target)}\">{_e(r['trigger'])}</a>"
            f" <small>{_e(dates)}</small> {_status(_s(r[STATUS]))}{_buttons()}"
            f"<div class=\"refs\">{_e(who)}{' @ ' + _e(view.names.get(place, place)) if place else ''}</div>"
            "<details><summary>edit the arguments</summary><form class=\"decide\" data-action=\"edit\">"
            f"<select name=\"type\" aria-label=\"type\">{_options(_plain(EVENT_TYPES), _s(r['type']))}</select>"
            f"<input type=\"date\" name=\"date_start\" value=\"{_e(r['date_start'])}\" aria-label=\"from\">"
            f"<input type=\"date\" name=\"date_end\" value=\"{_e(r['date_end'])}\" aria-label=\"to\">"
            f"<select name=\"place\" aria-label=\"place\">{_options([('', 'no place')] + actor_options, place)}</select>"
            f"<select name=\"participants\" multiple aria-label=\"participants\">"
            f"{_options(actor_options, participants)}</select>"
            f"<select name=\"treaty_id\" aria-label=\"treaty\">{_options(treaty_options, _s(r['treaty_id']))}</select>"
            f"<select name=\"polarity\" aria-label=\"polarity\">{_options(_plain(POLARITIES), _s(r['polarity']))}"
            "</select><button>save</button></form></details></li>"
        )
    return _panel("Events", "events", entries)
