"""The review web app: a WSGI application over one run, served by the standard library.

It serves only the run it was started on: documents by id from the run's
``documents`` table, static files from a fixed list, nothing else from disk.
Decisions arrive as JSON (``POST /api/decisions``); every one is checked and
written to the store before the answer leaves, so an acknowledged decision
survives a closed browser or a killed server. Bad requests get clear 4xx
answers: unknown ids 404, malformed JSON 400, oversized bodies 413, path
traversal 400, a foreign Host or Origin (DNS rebinding, cross-site posts) 403.
"""
from __future__ import annotations

import json
import logging
import sys
from dataclasses import dataclass
from http import HTTPStatus
from importlib import resources
from socketserver import ThreadingMixIn
from typing import Any, Callable, Iterable
from urllib.parse import parse_qs, urlsplit
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from . import model, overlay, render
from .run import ReviewError, ReviewRun
from .store import StaleRunError, Store

MAX_BODY = 64 * 1024
STATIC = {
    "labels.css": "text/css; charset=utf-8",
    "review.js": "text/javascript; charset=utf-8",
    "review.css": "text/css; charset=utf-8",
}
SECURITY_HEADERS = [
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
    ("Cache-Control", "no-store"),
    ("Content-Security-Policy",
     "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self';"
     " form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
]
LOOPBACK = ("127.0.0.1", "localhost", "::1")
log = logging.getLogger(__name__)

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


@dataclass(slots=True)
class Response:
    status: int
    body: bytes
    content_type: str = "text/html; charset=utf-8"

    def __call__(self, start_response: StartResponse) -> list[bytes]:
        phrase = HTTPStatus(self.status).phrase
        headers = [("Content-Type", self.content_type), ("Content-Length", str(len(self.body)))]
        start_response(f"{self.status} {phrase}", headers + SECURITY_HEADERS)
        return [self.body]


def _html(text: str, status: int = 200) -> Response:
    return Response(status, text.encode("utf-8"))


def _json(obj: object, status: int = 200) -> Response:
    return Response(status, json.dumps(obj, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")


def _static(name: str) -> bytes:
    if name == "labels.css":
        return render.labels_css().encode("utf-8")
    return resources.files(__package__).joinpath("static").joinpath(name).read_bytes()


def _no_constants(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


class App:
    """The WSGI application for one run and one store."""

    def __init__(self, run: ReviewRun, store: Store, *, reviewer: str = "",
                 allowed_hosts: Iterable[str] | None = None) -> None:
        self.run = run
        self.store = store
        self.reviewer = reviewer
        self.allowed_hosts = None if allowed_hosts is None else {h.lower() for h in allowed_hosts}
        self._static = {name: (_static(name), kind) for name, kind in STATIC.items()}

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        api = environ.get("PATH_INFO", "").startswith("/api/")
        try:
            response = self._route(environ)
        except (ReviewError, StaleRunError) as error:
            status = error.status
            response = _json({"error": str(error)}, status) if api else _html(render.error_page(status, str(error)), status)
        except Exception:  # noqa: BLE001 - the server keeps serving; the reviewer sees a 500
            log.exception("review request failed")
            message = "internal error (see the server's log)"
            response = _json({"error": message}, 500) if api else _html(render.error_page(500, message), 500)
        return response(start_response)

    # ---- routing --------------------------------------------------------------------

    def _route(self, environ: dict[str, Any]) -> Response:
        self._check_host(environ)
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "") or "/"
        if ".." in path.split("/") or "\\" in path or "\x00" in path:
            raise ReviewError(400, "path traversal is not allowed")
        query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True, max_num_fields=10)
        routes: dict[tuple[str, str], Callable[[], Response]] = {
            ("GET", "/"): self._list,
            ("GET", "/doc"): lambda: self._document(query),
            ("POST", "/api/decisions"): lambda: self._decide(environ),
            ("GET", "/api/document"): lambda: self._document_json(query),
            ("GET", "/favicon.ico"): lambda: Response(204, b""),
        }
        if (method, path) in routes:
            return routes[(method, path)]()
        if path.startswith("/static/") and method == "GET":
            name = path.removeprefix("/static/")
            if name not in self._static:
                raise ReviewError(404, f"no static file {name!r}")
            body, kind = self._static[name]
            return Response(200, body, kind)
        if any(p == path for _, p in routes) or path.startswith("/static/"):
            raise ReviewError(405, f"{method} is not allowed on {path}")
        raise ReviewError(404, f"nothing at {path}")

    def _check_host(self, environ: dict[str, Any]) -> None:
        """Refuse requests addressed to another host name (DNS rebinding) and
        writes coming from another origin (cross-site requests)."""
        host = environ.get("HTTP_HOST", "").lower()
        if self.allowed_hosts is not None and host not in self.allowed_hosts:
            raise ReviewError(403, f"this server answers only to {', '.join(sorted(self.allowed_hosts))}")
        origin = environ.get("HTTP_ORIGIN")
        if environ.get("REQUEST_METHOD") != "GET" and origin is not None and urlsplit(origin).netloc.lower() != host:
            raise ReviewError(403, "cross-origin requests are not allowed")

    def _doc_id(self, query: dict[str, list[str]]) -> str:
        ids = query.get("id", [])
        if len(ids) != 1 or not ids[0] or len(ids[0]) > 1000:
            raise ReviewError(400, "give one document id: /doc?id=…")
        self.run.document(ids[0])
        return ids[0]

    # ---- pages ------------------------------------------------------------------------

    def _list(self) -> Response:
        state = overlay.load(self.run, self.store)[0]
        reviewed: dict[str, int] = {}
        for (doc_id, kind, _), value in state.items():
            if kind == "mention" and not value.added:
                reviewed[doc_id] = reviewed.get(doc_id, 0) + 1
        docs = overlay.document_status(self.run.tables["documents"], state)
        mentions = self.run.tables["mentions"]
        counts = mentions.groupby(["doc_id", "label"]).size()
        totals = mentions.groupby("doc_id").size()
        summaries = [
            render.DocSummary(
                doc_id=r["doc_id"], status=str(r["status"]), error=render._s(r["error"]), chars=r["chars"],
                counts=counts[r["doc_id"]].to_dict() if r["doc_id"] in totals else {},
                reviewed=reviewed.get(r["doc_id"], 0), total=int(totals.get(r["doc_id"], 0)),
                review_status=str(r[overlay.STATUS]),
            )
            for r in docs.to_dict("records")
        ]
        return _html(render.document_list(self.run.out.name, summaries, self.reviewer))

    def _state(self, doc_id: str) -> dict:
        state, stale = overlay.load(self.run, self.store, doc_id)
        if stale:
            raise ReviewError(409, f"{doc_id} was reviewed on another extraction of it: export that review"
                                   " with the run it was made on, or review into a new store (--db)")
        return state

    def _tables(self, doc_id: str) -> dict[str, Any]:
        return overlay.apply(self.run.doc_tables(doc_id), self._state(doc_id))

    def _document(self, query: dict[str, list[str]]) -> Response:
        doc_id = self._doc_id(query)
        text = self.run.text(doc_id)
        tables = self._tables(doc_id)
        ok = [d for d in self.run.doc_ids if self.run.document(d)["status"] == "ok"]
        i = ok.index(doc_id) if doc_id in ok else -1
        names = dict(zip(self.run.tables["actors"]["actor_id"], self.run.tables["actors"]["name"]))
        names.update(zip(tables["actors"]["actor_id"], tables["actors"]["name"]))
        view = render.DocView(
            doc_id=doc_id, text=text, tables=tables, names=names,
            previous=ok[i - 1] if i > 0 else None, next=ok[i + 1] if 0 <= i < len(ok) - 1 else None,
            review_status=str(tables["documents"][overlay.STATUS].iloc[0]), reviewer=self.reviewer,
        )
        return _html(render.document_view(view))

    def _document_json(self, query: dict[str, list[str]]) -> Response:
        """A document's reviewed mentions, for scripts and tests."""
        doc_id = self._doc_id(query)
        tables = self._tables(doc_id)
        columns = ["mention_id", "label", "start", "end", "text", "ref_id", overlay.STATUS]
        mentions = tables["mentions"][columns].astype(object).where(tables["mentions"][columns].notna(), None)
        return _json({"doc_id": doc_id, "review_status": str(tables["documents"][overlay.STATUS].iloc[0]),
                      "mentions": mentions.to_dict("records")})

    # ---- decisions ----------------------------------------------------------------------

    def _decide(self, environ: dict[str, Any]) -> Response:
        obj = self._body(environ)
        request = model.parse(obj, self.reviewer)
        decision, changes, fingerprint = model.Planner(self.run, self._state(request.doc_id)).plan(request)
        decision_id = self.store.record(decision, changes, fingerprint)
        doc = "" if request.kind in model.CORPUS_KINDS else request.doc_id
        current = self.store.state(request.doc_id).get((doc, request.kind, decision.target_id))
        return _json({"decision_id": decision_id, "target_id": decision.target_id,
                      "status": current.status if current else "unreviewed"})

    @staticmethod
    def _body(environ: dict[str, Any]) -> object:
        content_type = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        if content_type != "application/json":
            raise ReviewError(415, "send decisions as application/json")
        length = environ.get("CONTENT_LENGTH", "")
        if not length.isdigit():
            raise ReviewError(411, "a Content-Length is required")
        if int(length) > MAX_BODY:
            raise ReviewError(413, f"a decision is at most {MAX_BODY} bytes")
        raw = environ["wsgi.input"].read(int(length))
        try:
            return json.loads(raw.decode("utf-8"), parse_constant=_no_constants)
        except (UnicodeDecodeError, ValueError) as error:
            raise ReviewError(400, f"malformed JSON: {error}") from None


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        if self.server.verbose:  # type: ignore[attr-defined]
            sys.stderr.write(f"{self.address_string()} - {format % args}\n")


def allowed_hosts(host: str, port: int) -> list[str] | None:
    """The Host headers a loopback-bound server accepts; ``None`` (any) when bound elsewhere."""
    if host not in LOOPBACK:
        return None
    return [f"{h}:{port}" for h in ("127.0.0.1", "localhost", "[::1]")]


def server(run: ReviewRun, store: Store, *, host: str = "127.0.0.1", port: int = 8765, reviewer: str = "",
           verbose: bool = False) -> WSGIServer:
    """A ready (not yet serving) server over ``run`` and ``store``; port 0 picks a free port."""
    app = App(run, store, reviewer=reviewer)
    httpd = make_server(host, port, app, server_class=_Server, handler_class=_QuietHandler)
    hosts = allowed_hosts(host, httpd.server_port)
    app.allowed_hosts = None if hosts is None else set(hosts)
    httpd.verbose = verbose  # type: ignore[attr-defined]
    return httpd
