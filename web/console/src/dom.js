// DOM helpers: every value is set as text or a property, never parsed as HTML.

/** h builds an element: h("a", {href: "#/"}, "text", child, ...). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else if (k === "text") el.textContent = v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** table builds a table with a caption, column headers and rows of cells. */
export function table(caption, headers, rows) {
  return h("table", {},
    h("caption", {}, caption),
    h("thead", {}, h("tr", {}, headers.map((x) => h("th", { scope: "col" }, x)))),
    h("tbody", {}, rows.map((r) => h("tr", {}, r.map((c) => h("td", {}, c))))));
}

/** short abbreviates a hash or address for display. */
export function short(s) {
  s = String(s || "");
  return s.length > 14 ? s.slice(0, 8) + "…" + s.slice(-4) : s;
}

/** when renders a time as UTC. */
export function when(t) {
  if (!t) return "-";
  const d = typeof t === "number" ? new Date(t * 1000) : new Date(t);
  return d.toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z");
}

/** badge is a status label. */
export function badge(text, kind) {
  return h("span", { class: "badge " + (kind || text) }, text);
}

/** status says something to screen readers and sighted users. */
export function status(msg, isError) {
  const el = document.getElementById("status");
  el.textContent = msg;
  el.className = "status" + (isError ? " error" : "");
}
