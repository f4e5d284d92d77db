// The steward console: overview, quarantine queue, entry pages with their
// context and signing, run reports. Routes live in the URL fragment.
import { api, takeToken, setToken, clearToken, APIError } from "./api.js";
import { h, table, short, when, badge, status } from "./dom.js";
import { renderWallet } from "./wallet.js";
import { entryPage } from "./entry.js";
import { overviewPage } from "./overview.js";

const main = () => document.getElementById("main");

function loginPage(msg) {
  const input = h("input", { id: "token", type: "password", autocomplete: "off", required: true });
  const form = h("form", { class: "login", onsubmit: (e) => { e.preventDefault(); setToken(input.value.trim()); route(); } },
    h("h1", {}, "Sign in"),
    msg ? h("p", { class: "error", role: "alert" }, msg) : null,
    h("p", {}, "Paste a bearer token with the steward scope (groundtruth serve token --scopes steward). It is kept in this tab's session storage only."),
    h("label", { for: "token" }, "Steward token"), input,
    h("button", { type: "submit" }, "Open the console"));
  return form;
}

async function queuePage(params) {
  const q = new URLSearchParams(params);
  const doc = await api("quarantine?" + q.toString());
  // select is a filter; without an "all" option its default is the first value.
  const select = (name, label, values, withAll = true) => {
    const id = "filter-" + name;
    const current = q.get(name) || (withAll ? "" : values[0]);
    return h("p", {}, h("label", { for: id }, label), " ",
      h("select", { id, name, onchange: (e) => { q.set(name, e.target.value); if (!e.target.value) q.delete(name); location.hash = "#/queue?" + q.toString(); } },
        withAll ? h("option", { value: "" }, "all") : null, values.map((v) => h("option", { value: v, selected: current === v }, v))));
  };
  const rows = doc.entries.map((e) => [
    h("a", { href: "#/entry/" + encodeURIComponent(e.id) }, e.id),
    e.dataset,
    h("code", {}, short(e.row)),
    e.codes.join(", "),
    e.findings.map((f) => f.severity).filter((v, i, a) => a.indexOf(v) === i).join(", "),
    e.reasons[0] || "",
    e.status,
  ]);
  return [
    h("h1", {}, "Quarantine queue"),
    h("form", { class: "filters", "aria-label": "Filters", onsubmit: (e) => e.preventDefault() },
      select("dataset", "Dataset", doc.datasets), select("code", "Code", doc.codes), select("severity", "Severity", doc.severities),
      select("status", "Status", ["pending", "approved", "rejected", "all"], false)),
    h("p", {}, `${doc.entries.length} row(s)`),
    table("Rows held back by the validators", ["Entry", "Dataset", "Row", "Codes", "Severity", "Reason", "Status"], rows),
  ];
}

async function runsPage() {
  const doc = await api("runs");
  return [h("h1", {}, "Runs"), table("Latest runs, newest first", ["Run", "Job", "Outcome", "Version", "Rows in/accepted/quarantined", "Attestation", "Started"],
    doc.runs.map((r) => [h("a", { href: "#/run/" + encodeURIComponent(r.id) }, r.id), r.job, badge(r.outcome),
      r.version ? `${r.dataset}@${r.version}` : "-", `${r.rowsIn}/${r.rowsAccepted}/${r.rowsQuarantined}`, r.attestation || "-", when(r.startedAt)]))];
}

async function runPage(id) {
  const doc = await api("runs/" + encodeURIComponent(id));
  const r = doc.run;
  const out = [h("h1", {}, "Run " + r.id),
    h("dl", { class: "facts" },
      h("dt", {}, "Job"), h("dd", {}, r.job), h("dt", {}, "Outcome"), h("dd", {}, badge(r.outcome)),
      h("dt", {}, "Version"), h("dd", {}, r.version ? `${r.dataset}@${r.version}` : "-"),
      h("dt", {}, "Rows in / accepted / quarantined"), h("dd", {}, `${r.rowsIn} / ${r.rowsAccepted} / ${r.rowsQuarantined}`),
      h("dt", {}, "Attestation"), h("dd", {}, r.attestation || "-"),
      h("dt", {}, "Started / ended"), h("dd", {}, `${when(r.startedAt)} / ${when(r.endedAt)}`),
      r.error ? [h("dt", {}, "Error"), h("dd", {}, r.error)] : null)];
  if (doc.lineage.length) {
    out.push(h("h2", {}, "Lineage"));
    out.push(table("What this version took in besides the source's rows", ["Kind", "Reference", "Detail"],
      doc.lineage.map((l) => [l.kind, h("code", {}, l.ref), h("code", {}, JSON.stringify(l.detail))])));
  }
  out.push(h("h2", { id: "validation", tabindex: "-1" }, "Validation report"));
  if (!doc.groups.length) out.push(h("p", {}, "No validation report: the job has no checks, or the run ended before validating."));
  let family = "";
  for (const g of doc.groups) {
    if (g.family !== family) { family = g.family; out.push(h("h3", {}, family)); }
    out.push(h("details", { open: g.failed > 0 },
      h("summary", {}, `${g.code}: ${g.failed} failed, ${g.passed} passed`),
      table(g.code, ["Severity", "Result", "Subject", "Value", "Threshold", "Explanation"],
        g.findings.map((f) => [f.severity, f.passed ? "passed" : "failed", f.subject, f.value ?? "-", f.threshold ?? "-", f.message]))));
  }
  return out;
}

// routeGen counts navigations: a page whose data arrives after the user
// moved on is dropped instead of replacing the newer page.
let routeGen = 0;

async function route() {
  const gen = ++routeGen;
  takeToken();
  const el = main();
  const hash = location.hash.replace(/^#/, "") || "/";
  const [path, query] = hash.split("?");
  for (const a of document.querySelectorAll("nav a")) {
    const here = a.getAttribute("href") === "#" + path || (path.startsWith("/entry") && a.getAttribute("href") === "#/queue");
    if (here) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
  }
  if (!sessionStorage.getItem("groundtruth.console.token")) {
    el.replaceChildren(loginPage());
    return;
  }
  el.setAttribute("aria-busy", "true");
  try {
    let page;
    if (path === "/") page = await overviewPage(route);
    else if (path === "/queue") page = await queuePage(query || "");
    else if (path.startsWith("/entry/")) page = await entryPage(decodeURIComponent(path.slice(7)), route);
    else if (path === "/runs") page = await runsPage();
    else if (path.startsWith("/run/")) page = await runPage(decodeURIComponent(path.slice(5)));
    else page = [h("h1", {}, "Not found"), h("p", {}, "No page " + path)];
    if (gen !== routeGen) return;
    el.replaceChildren(...[page].flat());
    document.title = (el.querySelector("h1")?.textContent || "Console") + " · groundtruth";
    const section = new URLSearchParams(query || "").get("section");
    const target = section && document.getElementById(section);
    if (target) { target.scrollIntoView(); target.focus(); }
  } catch (e) {
    if (gen !== routeGen) return;
    if (e instanceof APIError && (e.status === 401 || e.status === 403) && !path.startsWith("/entry/")) {
      clearToken();
      el.replaceChildren(loginPage(e.message));
    } else {
      el.replaceChildren(h("h1", {}, "Error"), h("p", { class: "error", role: "alert" }, e.message));
    }
  } finally {
    if (gen === routeGen) el.removeAttribute("aria-busy");
  }
}

window.addEventListener("hashchange", () => { status(""); route(); });
window.addEventListener("DOMContentLoaded", () => { renderWallet(); route(); });
