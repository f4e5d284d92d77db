// The overview: jobs and datasets with their versions' attestation state,
// and co-signing of pending versions.
import { api } from "./api.js";
import { h, table, short, when, badge, status } from "./dom.js";
import { signPanel } from "./sign.js";

function versionCell(d, v, ov, rerender) {
  const parts = [badge(v.status)];
  if (v.status === "pending" || v.status === "sealed") {
    parts.push(` ${v.signers.length} of ${v.threshold || ov.threshold} signed`);
    if (v.signers.length) parts.push(h("span", { class: "who" }, " by ", v.signers.map(short).join(", ")));
  }
  if (v.receipts && v.receipts.length) {
    const r = v.receipts[v.receipts.length - 1];
    parts.push(" tx ", h("code", { title: r.txHash }, short(r.txHash)), ` block ${r.block}`);
    if (r.uids) parts.push(" UID ", Object.values(r.uids).map((u) => h("code", { title: u }, short(u))));
  }
  if (v.revocations && v.revocations.length) parts.push(" — ", v.revocations.map((r) => r.reason).join("; "));
  return h("span", {}, parts);
}

export async function overviewPage(rerender) {
  const ov = await api("overview");
  const out = [h("h1", {}, "Overview")];
  out.push(h("p", {}, `${ov.pendingQuarantine} quarantined row(s) wait for a decision. `,
    h("a", { href: "#/queue" }, "Open the queue"), "."));
  if (ov.attestationError) out.push(h("p", { class: "error" }, ov.attestationError));
  else out.push(h("p", {}, `Stewards (${ov.threshold} of ${ov.stewards.length} sign a version, ${ov.backend}): `,
    ov.stewards.map((s, i) => [i ? ", " : "", h("code", {}, s)])));
  out.push(h("h2", {}, "Jobs"));
  out.push(table("Jobs and their last run", ["Job", "Dataset", "Schedule", "Last run", "Outcome", "Next tick", "State"],
    ov.jobs.map((j) => [j.name, j.dataset, j.schedule || "-",
      j.lastRun ? h("a", { href: "#/run/" + encodeURIComponent(j.lastRun.id) }, when(j.lastRun.startedAt)) : "never",
      j.lastRun ? badge(j.lastRun.outcome) : "-", when(j.nextTick), j.failing ? badge("failing") : "ok"])));
  out.push(h("h2", {}, "Datasets"));
  const pending = [];
  out.push(table("Datasets, newest version first", ["Dataset", "Version", "Rows", "Status", "Created"],
    ov.datasets.flatMap((d) => d.versions.map((v) => {
      if (v.status === "pending") pending.push([d, v]);
      return [d.name, String(v.version), String(v.rows), versionCell(d, v, ov, rerender), when(v.createdAt)];
    }))));
  if (pending.length) {
    out.push(h("h2", {}, "Co-sign pending versions"));
    for (const [d, v] of pending) {
      const ref = `${d.name}@${v.version}`;
      const base = `versions/${encodeURIComponent(d.name)}/${v.version}`;
      out.push(signPanel({ id: `cosign-${d.name}-${v.version}`, title: `Co-sign ${ref} (root ${short(v.merkleRoot)})`, needsSteward: false,
        fileName: `${ref}.typed-data.json`,
        getTyped: () => api(base + "/typed-data"),
        submit: async (signature) => {
          const res = await api(base + "/signature", { signature });
          status(res.status === "attested" ? `${ref} is attested (tx ${res.receipt?.txHash})` : `Signature of ${res.signer} recorded; ${ref} is ${res.status}${res.error ? ": " + res.error : ""}`);
          rerender();
        } }));
    }
  }
  return out;
}
