// Signing: the server builds the EIP-712 typed data (the same Go code as
// the CLI); the page only hands it to an EIP-1193 wallet
// (eth_signTypedData_v4), or offers it as a file and takes back a signature
// made elsewhere. Nothing is hashed here.
import { h } from "./dom.js";

let account = null;

/** hasWallet reports whether the browser has an EIP-1193 provider. */
export function hasWallet() { return typeof window.ethereum?.request === "function"; }

/** connect asks the wallet for the steward's account. */
export async function connect() {
  const accts = await window.ethereum.request({ method: "eth_requestAccounts" });
  if (!accts || !accts.length) throw new Error("the wallet gave no account");
  account = accts[0];
  renderWallet();
  return account;
}

export function currentAccount() { return account; }

/** signTyped signs typed data (a JSON object) with the connected account. */
export async function signTyped(typedData) {
  const from = account || (await connect());
  return window.ethereum.request({ method: "eth_signTypedData_v4", params: [from, JSON.stringify(typedData)] });
}

/** renderWallet shows the wallet's state in the header. */
export function renderWallet() {
  const el = document.getElementById("wallet");
  el.replaceChildren();
  if (!hasWallet()) {
    el.append("No browser wallet: download the typed data and upload a signature.");
    return;
  }
  if (account) {
    el.append("Wallet: ", h("code", {}, account));
    return;
  }
  el.append(h("button", { type: "button", onclick: () => connect().catch((e) => alert(e.message)) }, "Connect wallet"));
}

/** download offers typed data as a JSON file. */
export function download(name, typedData) {
  const blob = new Blob([JSON.stringify(typedData, null, 2)], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const a = h("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** readSignature reads a signature from a text field or an uploaded file
 * (the file holds 0x... or JSON with a "signature" field). */
export async function readSignature(textInput, fileInput) {
  let s = textInput.value.trim();
  if (!s && fileInput.files && fileInput.files[0]) s = (await fileInput.files[0].text()).trim();
  if (s.startsWith("{")) s = JSON.parse(s).signature || "";
  if (!/^0x[0-9a-fA-F]{130}$/.test(s)) throw new Error("a signature is 0x and 65 bytes (130 hex digits)");
  return s;
}
