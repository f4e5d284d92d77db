// Browser test of the steward console (run by cmd/groundtruth's
// TestConsoleBrowser): playwright-core drives Debian's Chromium against a
// real daemon. It reads a plan (JSON file, argv[2]) and prints one JSON
// result line; any failed expectation exits 1 with the reason.
//
// The page signs with an injected EIP-1193 test wallet: window.ethereum's
// eth_signTypedData_v4 hands the server's typed data to this process,
// which signs it with ethers (an independent EIP-712 implementation) and a
// steward's keystore. Nothing in the page hashes.
import { readFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");
const { Wallet } = require("ethers");

const plan = JSON.parse(readFileSync(process.argv[2], "utf8"));
const result = { axe: {}, csp: [], screenshots: [] };
const fail = (msg) => { throw new Error(msg); };
mkdirSync(plan.screenshots, { recursive: true });

const wallet = await Wallet.fromEncryptedJson(readFileSync(plan.keystore, "utf8"), readFileSync(plan.password, "utf8").trim());
result.steward = wallet.address;
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const browser = await chromium.launch({ executablePath: plan.chromium, headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
const ctx = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
ctx.setDefaultTimeout(30000);

async function newPage() {
  const page = await ctx.newPage();
  page.on("console", (m) => { if (m.type() === "error" && /Content.Security.Policy/i.test(m.text())) result.csp.push(m.text()); });
  page.on("pageerror", (e) => result.csp.push("page error: " + e.message));
  await page.exposeFunction("gtSignTypedData", async (json) => {
    const td = JSON.parse(json);
    const types = { ...td.types };
    delete types.EIP712Domain;
    return wallet.signTypedData(td.domain, types, td.message);
  });
  await page.addInitScript((account) => {
    window.ethereum = {
      isGroundtruthTestWallet: true,
      request: async ({ method, params }) => {
        if (method === "eth_requestAccounts" || method === "eth_accounts") return [account];
        if (method === "eth_signTypedData_v4") {
          if (params[0].toLowerCase() !== account.toLowerCase()) throw new Error("unknown account " + params[0]);
          return window.gtSignTypedData(params[1]);
        }
        throw new Error("the test wallet does not do " + method);
      },
    };
  }, wallet.address);
  return page;
}

async function shot(page, name) {
  const p = join(plan.screenshots, name + ".png");
  await page.screenshot({ path: p, fullPage: true });
  result.screenshots.push(p);
}

async function axe(page, name) {
  await page.evaluate(axeSource + ";0");
  const r = await page.evaluate(() => window.axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "best-practice"] }));
  const bad = r.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  result.axe[name] = r.violations.map((v) => `${v.id} (${v.impact}, ${v.nodes.length})`);
  if (bad.length) fail(`axe on ${name}: ${bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`).join("; ")}`);
}

async function api(page, path) {
  return page.evaluate(async (p) => {
    const res = await fetch("/console/api/" + p, { headers: { Authorization: "Bearer " + sessionStorage.getItem("groundtruth.console.token") } });
    return res.json();
  }, path);
}

try {
  // A token without the steward scope is refused by the server.
  let page = await newPage();
  await page.goto(plan.base + "/console/#token=" + plan.agentToken);
  await page.getByText("lacks the steward scope").waitFor();
  result.refused = true;
  await shot(page, "refused");
  await axe(page, "refused");
  await page.close();

  page = await newPage();
  await page.goto(plan.base + "/console/#token=" + plan.token);
  await page.getByRole("heading", { name: "Overview" }).waitFor();
  if (page.url().includes("token=")) fail("the token stayed in the address bar: " + page.url());
  await shot(page, "overview");
  await axe(page, "overview");
  const ov = await api(page, "overview");
  const agg = ov.datasets.find((d) => d.name === plan.dataset);
  if (!ov.jobs.length || !ov.jobs.every((j) => j.nextTick && j.lastRun)) fail("a job lacks its last run or next tick: " + JSON.stringify(ov.jobs));
  if (!agg || agg.versions[0].status !== "pending" || agg.versions[0].signers.length !== 1 || ov.threshold !== 2) fail("the overview does not show " + plan.cosign + " pending 1 of 2: " + JSON.stringify(agg));
  await page.getByText("1 of 2 signed").first().waitFor();

  // Co-sign the pending version of the poisoned feed in the browser.
  const ref = plan.cosign;
  const panel = page.locator("section.sign", { hasText: "Co-sign " + ref });
  await panel.getByRole("button", { name: "Sign with the browser wallet" }).click();
  await page.locator("#status").getByText(ref + " is attested").waitFor({ timeout: 60000 });
  result.cosigned = await page.locator("#status").textContent();

  // The queue, filtered to the poisoned feed's spikes.
  await page.goto(plan.base + "/console/#/queue?dataset=" + plan.dataset + "&code=poisoning.mad_outlier");
  await page.getByRole("heading", { name: "Quarantine queue" }).waitFor();
  await page.locator("tbody tr").first().waitFor();
  result.queueRows = await page.locator("tbody tr").count();
  await shot(page, "queue");
  await axe(page, "queue");

  await page.locator("tbody tr a").first().click();
  await page.locator("#series-plot canvas").waitFor();
  await page.waitForFunction(() => document.querySelector("#series-plot").uplot);
  const plot = await page.evaluate(() => {
    const u = document.querySelector("#series-plot").uplot;
    const marks = u.data[u.data.length - 1].filter((v) => v !== null && v !== undefined).length;
    return { series: u.series.map((s) => s.label), points: u.data[0].length, marked: marks };
  });
  if (plot.marked < 1 || plot.points < 10 || plot.series.length < 6) fail("the plot lacks the flagged points or the peers: " + JSON.stringify(plot));
  result.plot = plot;
  result.entry = decodeURIComponent(page.url().split("#/entry/")[1]);
  await shot(page, "entry");
  await axe(page, "entry");

  // Approve it with the wallet.
  await page.getByLabel("Reason (signed with the decision)").fill(plan.reason);
  await page.getByRole("button", { name: "Sign with the browser wallet" }).click();
  await page.locator("#status").getByText("approved by steward").waitFor();
  result.decision = await page.locator("#status").textContent();

  // The next version of the dataset takes the approved row in.
  let run = null;
  for (let i = 0; i < 120 && !run; i++) {
    const runs = await api(page, "runs?job=" + plan.job);
    run = (runs.runs || []).find((r) => r.version >= 2);
    if (!run) await page.waitForTimeout(500);
  }
  if (!run) fail("no second version of " + plan.dataset + " within a minute");
  await page.goto(plan.base + "/console/#/run/" + encodeURIComponent(run.id));
  await page.getByRole("heading", { name: "Lineage" }).waitFor();
  await page.locator("table", { hasText: result.entry }).first().waitFor();
  result.run = run.id;
  result.version = run.version;
  await shot(page, "run");
  await axe(page, "run");

  // The daemon's log links the run's validation report: the same page,
  // scrolled to it with the focus on its heading.
  await page.goto(plan.base + "/console/#/run/" + encodeURIComponent(run.id) + "?section=validation");
  await page.getByRole("heading", { name: "Lineage" }).waitFor();
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === "validation");

  await page.goto(plan.base + "/console/#/runs");
  await page.getByRole("heading", { name: "Runs" }).waitFor();
  await axe(page, "runs");

  // A governance row (a vote whose reason addresses AI agents): the voter's
  // power history and the votes on the proposal.
  const inj = await api(page, "quarantine?dataset=governor_votes&code=gaming.prompt_injection");
  if (!inj.entries || !inj.entries.length) fail("no quarantined vote in the queue: " + JSON.stringify(inj).slice(0, 300));
  await page.goto(plan.base + "/console/#/entry/" + encodeURIComponent(inj.entries[0].id));
  await page.getByRole("heading", { name: /Voting power of/ }).waitFor();
  result.powerSteps = await page.locator("table", { hasText: "Voting power changes" }).locator("tbody tr").count();
  result.proposalVotes = await page.locator("table", { hasText: "Votes on proposal" }).locator("tbody tr").count();
  if (result.powerSteps < 1 || result.proposalVotes < 2) fail(`the vote's context has ${result.powerSteps} power steps and ${result.proposalVotes} votes`);
  await shot(page, "governance");
  await axe(page, "governance");

  // Keyboard: on a freshly loaded page the first Tab reaches the skip link,
  // which moves the focus to the content.
  await page.reload();
  await page.getByRole("heading", { name: /Voting power of/ }).waitFor();
  await page.keyboard.press("Tab");
  if ((await page.evaluate(() => document.activeElement.textContent)) !== "Skip to the content") fail("the first Tab does not reach the skip link");
  await page.keyboard.press("Enter");
  if ((await page.evaluate(() => document.activeElement.id)) !== "main") fail("the skip link does not move the focus to the content");
  if (result.csp.length) fail("the page broke its Content-Security-Policy or threw: " + result.csp.join("; "));
  result.ok = true;
} catch (e) {
  result.ok = false;
  result.error = e.message;
  for (const p of ctx.pages()) {
    result.error += `\n[page ${p.url()}] ` + (await p.locator("main").innerText().catch(() => "")).slice(0, 600);
    await shot(p, "failure").catch(() => {});
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
process.exit(result.ok ? 0 : 1);
