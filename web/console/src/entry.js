// One quarantined row: its values, findings, context and the decision.
import { api } from "./api.js";
import { h, table, short, when, badge, status } from "./dom.js";
import { seriesChart } from "./chart.js";
import { signPanel } from "./sign.js";

function relatedView(rel) {
  const out = [h("h2", {}, "Governance context")];
  if (rel.voter) {
    out.push(h("h3", {}, "Voting power of ", h("code", {}, rel.voter)));
    out.push(rel.power.length
      ? table(`Voting power changes (${rel.powerDataset}); the vote was cast at block ${rel.block}`, ["Block", "Votes", "When"],
        rel.power.map((p) => [String(p.block), p.votes, p.block <= rel.block ? "before the vote" : "after the vote"]))
      : h("p", {}, "No DelegateVotesChanged events of this voter in the catalog."));
  }
  if (rel.proposal) {
    out.push(h("h3", {}, "Votes on the proposal"));
    out.push(table(`Votes on proposal ${short(rel.proposal)}`, ["Block", "Voter", "Support", "Weight"],
      rel.votes.map((v) => [String(v.block), h("code", {}, v.voter), v.support, v.weight])));
  }
  return out;
}

export async function entryPage(id, rerender) {
  const e = await api("quarantine/" + encodeURIComponent(id));
  const out = [h("h1", {}, "Quarantined row " + e.id),
    h("dl", { class: "facts" },
      h("dt", {}, "Dataset"), h("dd", {}, e.dataset), h("dt", {}, "Row"), h("dd", {}, h("code", {}, e.row)),
      h("dt", {}, "Status"), h("dd", {}, badge(e.status)),
      h("dt", {}, "Run"), h("dd", {}, h("a", { href: "#/run/" + encodeURIComponent(e.run) }, e.run)),
      h("dt", {}, "Quarantined"), h("dd", {}, when(e.createdAt)),
      e.decidedAt ? [h("dt", {}, "Decision"), h("dd", {}, `${e.status} by ${e.steward} at ${when(e.decidedAt)}${e.note ? " (" + e.note + ")" : ""}; signature ${e.signatureStatus}`)] : null)];
  out.push(h("h2", {}, "Findings"));
  out.push(table("Findings that name this row", ["Code", "Severity", "Value", "Threshold", "Explanation"],
    e.findings.map((f) => [f.code, badge(f.severity), f.value ?? "-", f.threshold ?? "-", f.message])));
  if (!e.findings.length) out.push(h("p", {}, "Reasons: ", e.reasons.join("; ")));
  if (e.series) out.push(h("h2", {}, "Series"), seriesChart(e.series));
  if (e.related) out.push(...relatedView(e.related));
  out.push(h("h2", {}, "Values"));
  out.push(table("The row's values", ["Column", "Value"], Object.entries(e.values || {}).map(([k, v]) => [k, v === null ? "null" : String(v)])));
  if (e.status === "pending" && e.rowCheck !== "ok") {
    out.push(h("h2", {}, "Decision"));
    out.push(h("p", { class: "error", role: "alert" }, "This row cannot be decided here: ", e.rowCheck));
  } else if (e.status === "pending") {
    out.push(h("h2", {}, "Decision"));
    const reason = h("textarea", { id: "reason", rows: 2, cols: 60 });
    const choice = (v, label, checked) => h("label", {}, h("input", { type: "radio", name: "decision", value: v, checked }), " ", label);
    out.push(h("fieldset", {}, h("legend", {}, "Approve or reject"),
      choice("approved", "Approve: the next version appends the row", true), h("br"),
      choice("rejected", "Reject: the row never enters the dataset", false)));
    out.push(h("p", {}, h("label", { for: "reason" }, "Reason (signed with the decision)"), h("br"), reason));
    out.push(h("p", {}, "Row leaf signed with the decision (the values above, as stored): ", h("code", { id: "decide-leaf" }, e.leaf)));
    const pick = () => document.querySelector("input[name=decision]:checked").value;
    out.push(signPanel({ id: "decide", title: "Sign the decision", needsSteward: true, fileName: `${e.id}.decision.json`,
      getTyped: async (steward) => {
        const typed = await api(`quarantine/${encodeURIComponent(e.id)}/typed-data`, { decision: pick(), reason: reason.value, steward });
        const leaf = typed.typedData.message.leaf;
        if (String(leaf).toLowerCase() !== String(e.leaf).toLowerCase()) {
          throw new Error(`refusing to sign: the typed data's row leaf ${leaf} is not the leaf ${e.leaf} of the row shown; reload the page`);
        }
        return typed;
      },
      submit: async (signature, typed) => {
        const m = typed.typedData.message;
        const res = await api(`quarantine/${encodeURIComponent(e.id)}/decision`,
          { decision: m.decision, reason: m.reason, steward: m.steward, decidedAt: Number(typed.decidedAt), signature });
        status(`Entry ${res.id} ${res.status} by steward ${res.steward}, signed.`);
        rerender();
      } }));
  }
  return out;
}
