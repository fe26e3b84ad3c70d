// letopis review page: select spans, send decisions, keyboard shortcuts. No build step, no libraries.
"use strict";

const LABELS = ["PER", "ORG", "LOC", "DATE", "TREATY", "EVENT"];
const docId = document.body.dataset.doc || "";
const marks = () => Array.from(document.querySelectorAll("mark.m"));
let current = null; // the selected mark (or overlapping-span link)

function reviewer() {
  const box = document.getElementById("reviewer");
  return (box && box.value.trim()) || document.body.dataset.reviewer || "";
}

function toast(message, ok) {
  const area = document.getElementById("toast");
  if (!area) return;
  const line = document.createElement("div");
  line.textContent = message;
  if (ok) line.className = "ok";
  area.appendChild(line);
  setTimeout(() => line.remove(), ok ? 1500 : 6000);
}

async function decide(kind, targetId, action, payload) {
  const body = {reviewer: reviewer(), doc_id: docId, kind: kind, target_id: targetId, action: action,
                payload: payload || {}};
  const response = await fetch("/api/decisions", {
    method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({error: response.statusText}));
  if (!response.ok) {
    toast(answer.error || ("error " + response.status));
    return null;
  }
  return answer;
}

function reloadAt(id) {
  if (id) sessionStorage.setItem("letopis-selected", id);
  location.reload();
}

// ---- selection of a span ------------------------------------------------------------

function select(el) {
  if (current) current.classList.remove("selected");
  current = el;
  const info = document.getElementById("sel-info");
  if (!el) { info.textContent = "Nothing selected."; return; }
  el.classList.add("selected");
  if (el.tagName === "MARK") el.scrollIntoView({block: "center", behavior: "instant"});
  const d = el.dataset;
  const text = el.tagName === "MARK" ? textOf(el) : el.textContent.trim();
  info.textContent = `${d.kind} ${d.id} · ${d.label} · ${d.start}–${d.end} · ${d.status}\n«${text.replace(/\s+/g, " ")}»`;
  document.getElementById("relabel").value = d.label;
  document.getElementById("sel-start").value = d.start;
  document.getElementById("sel-end").value = d.end;
}

function textOf(mark) {
  return Array.from(mark.querySelectorAll("span.t")).map((t) => t.textContent).join("");
}

function move(step) {
  const all = marks();
  if (!all.length) return;
  const i = current ? all.indexOf(current) : -1;
  select(all[Math.min(Math.max(i + step, 0), all.length - 1)] || all[0]);
}

function setStatus(el, status) {
  el.classList.remove("s-unreviewed", "s-accepted", "s-rejected", "s-edited", "s-added");
  el.classList.add("s-" + status);
  el.dataset.status = status;
  const done = marks().filter((m) => m.dataset.kind === "mention" && m.dataset.status !== "unreviewed").length;
  const total = marks().filter((m) => m.dataset.kind === "mention").length;
  const progress = document.getElementById("progress");
  if (progress) progress.textContent = `${done}/${total}`;
}

// ---- text selection → original offsets (code points, as Python counts them) -----------

function leafAt(node, last) {
  if (!node || node.nodeType !== Node.ELEMENT_NODE) return null;
  if (node.matches("span.t")) return node;
  const leaves = node.querySelectorAll("span.t");
  return leaves.length ? leaves[last ? leaves.length - 1 : 0] : null;
}

function offset(node, off) {
  if (node.nodeType === Node.TEXT_NODE) {
    const leaf = node.parentElement && node.parentElement.closest("span.t");
    if (!leaf) return null;
    return Number(leaf.dataset.s) + Array.from(node.data.slice(0, off)).length;
  }
  const kids = node.childNodes;
  const next = off < kids.length ? leafAt(kids[off], false) : null;
  if (next) return Number(next.dataset.s);
  const prev = leafAt(off > 0 ? kids[off - 1] : node, true);
  return prev ? Number(prev.dataset.s) + Array.from(prev.textContent).length : null;
}

function selectedSpan() {
  const sel = window.getSelection();
  if (!sel || sel.isCollapsed || !sel.rangeCount) return null;
  const range = sel.getRangeAt(0);
  const text = document.getElementById("text");
  if (!text.contains(range.startContainer) || !text.contains(range.endContainer)) return null;
  const start = offset(range.startContainer, range.startOffset);
  const end = offset(range.endContainer, range.endOffset);
  return start === null || end === null || end <= start ? null : {start: start, end: end};
}

// ---- actions ------------------------------------------------------------------------

async function act(action) {
  if (!current) { toast("select a span first (click it, or j/k)"); return; }
  const d = current.dataset;
  const answer = await decide(d.kind, d.id, action);
  if (!answer) return;
  setStatus(current, answer.status);
  if (current.tagName === "MARK" && action !== "reset") move(1);
}

async function edit(payload) {
  if (!current || current.dataset.kind !== "mention") { toast("select a mention first"); return; }
  const answer = await decide("mention", current.dataset.id, "edit", payload);
  if (answer) reloadAt(current.id || "");
}

async function boundsFromSelection() {
  const span = selectedSpan();
  if (!span) { toast("select the right stretch of text first"); return; }
  await edit(span);
}

async function add() {
  const span = selectedSpan();
  if (!span) { toast("select the missed text first"); return; }
  const label = document.getElementById("add-label").value;
  const answer = await decide("mention", "", "add", {label: label, start: span.start, end: span.end});
  if (answer) reloadAt("mention-" + answer.target_id);
}

async function documentDone() {
  const answer = await decide("document", docId, "done");
  if (answer) reloadAt(current ? current.id : "");
}

function formPayload(form) {
  const payload = {};
  for (const el of form.elements) {
    if (!el.name) continue;
    if (el.type === "checkbox") {
      payload[el.name] = payload[el.name] || [];
      if (el.checked) payload[el.name].push(el.value);
    } else if (el.multiple) {
      payload[el.name] = Array.from(el.selectedOptions).map((o) => o.value);
    } else if (el.hasAttribute("data-list")) {
      payload[el.name] = el.value.split("|").map((s) => s.trim()).filter(Boolean);
    } else {
      payload[el.name] = el.value;
    }
  }
  return payload;
}

// ---- wiring ---------------------------------------------------------------------------

document.addEventListener("click", async (event) => {
  const target = event.target;
  const mark = target.closest("mark.m");
  if (mark && !window.getSelection().toString()) { select(mark); return; }
  const goto = target.closest("a.goto");
  if (goto) {
    event.preventDefault();
    const el = document.getElementById(goto.dataset.goto);
    if (el) select(el);
    return;
  }
  const span = target.closest("a.goto-span");
  if (span) { event.preventDefault(); select(span); return; }
  const sel = target.closest("button[data-sel]");
  if (sel) {
    const what = sel.dataset.sel;
    if (what === "relabel") await edit({label: document.getElementById("relabel").value});
    else if (what === "bounds") await edit({start: Number(document.getElementById("sel-start").value),
                                            end: Number(document.getElementById("sel-end").value)});
    else if (what === "bounds-selection") await boundsFromSelection();
    else await act(what);
    return;
  }
  const button = target.closest("button[data-act]");
  if (button) {
    const ent = button.closest("[data-kind]");
    const answer = await decide(ent.dataset.kind, ent.dataset.id, button.dataset.act);
    if (answer) reloadAt(current ? current.id : "");
    return;
  }
  if (target.closest("#add")) { await add(); return; }
  if (target.closest("#done")) { await documentDone(); }
});

document.addEventListener("submit", async (event) => {
  const form = event.target.closest("form.decide");
  if (!form) return;
  event.preventDefault();
  const ent = form.closest("[data-kind]");
  const answer = await decide(ent.dataset.kind, ent.dataset.id, form.dataset.action, formPayload(form));
  if (answer) reloadAt(current ? current.id : "");
});

document.addEventListener("keydown", async (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.target.closest("input, select, textarea")) return;
  const key = event.key;
  const digit = "123456".indexOf(key);
  if (digit >= 0) { event.preventDefault(); await edit({label: LABELS[digit]}); return; }
  const actions = {
    a: () => act("accept"), r: () => act("reject"), x: () => act("reject"), u: () => act("reset"),
    j: () => move(1), ArrowDown: () => move(1), k: () => move(-1), ArrowUp: () => move(-1),
    b: boundsFromSelection, s: add, d: documentDone,
    "]": () => { const a = document.getElementById("next-doc"); if (a) location.href = a.href; },
    "[": () => { const a = document.getElementById("prev-doc"); if (a) location.href = a.href; },
  };
  if (actions[key]) { event.preventDefault(); await actions[key](); }
});

document.addEventListener("change", (event) => {
  if (event.target.id === "reviewer") localStorage.setItem("letopis-reviewer", event.target.value.trim());
});

window.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("reviewer");
  const saved = localStorage.getItem("letopis-reviewer");
  if (box && saved) box.value = saved;
  const id = sessionStorage.getItem("letopis-selected");
  sessionStorage.removeItem("letopis-selected");
  if (document.getElementById("sel-info")) {
    const el = id && document.getElementById(id);
    if (el) select(el);
  }
});
