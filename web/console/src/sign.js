// The signing panel shared by decisions and co-signatures: sign in the
// browser wallet, or download the typed data and upload a signature.
import { h, status } from "./dom.js";
import { hasWallet, signTyped, connect, currentAccount, download, readSignature } from "./wallet.js";

/**
 * signPanel renders the two ways to sign. getTyped(steward) returns the
 * server's {typedData, digest, ...}; submit(signature, typed) records it.
 */
export function signPanel({ id, title, needsSteward, fileName, getTyped, submit }) {
  const addr = h("input", { id: id + "-steward", type: "text", autocomplete: "off", spellcheck: "false", placeholder: "0x…", size: 44 });
  const sigText = h("input", { id: id + "-sig", type: "text", autocomplete: "off", spellcheck: "false", placeholder: "0x…", size: 44 });
  const sigFile = h("input", { id: id + "-file", type: "file", accept: ".json,.txt,.sig" });
  let typed = null;
  const run = async (fn) => {
    try { await fn(); } catch (e) { status(e.message, true); }
  };
  const walletBtn = h("button", { type: "button", class: "primary", disabled: !hasWallet(), onclick: () => run(async () => {
    const who = currentAccount() || (await connect());
    typed = await getTyped(who);
    status("Waiting for the wallet's signature…");
    const sig = await signTyped(typed.typedData);
    await submit(sig, typed);
  }) }, hasWallet() ? "Sign with the browser wallet" : "Sign with the browser wallet (none found)");
  const dlBtn = h("button", { type: "button", onclick: () => run(async () => {
    if (needsSteward && !/^0x[0-9a-fA-F]{40}$/.test(addr.value.trim())) throw new Error("give your steward address first");
    typed = await getTyped(addr.value.trim());
    download(fileName, typed.typedData);
    status(`Typed data downloaded (digest ${typed.digest}): sign it with eth_signTypedData_v4 and upload the signature.`);
  }) }, "Download the typed data");
  const upBtn = h("button", { type: "button", onclick: () => run(async () => {
    if (!typed) throw new Error("download the typed data first: the signature must be over exactly that");
    await submit(await readSignature(sigText, sigFile), typed);
  }) }, "Upload the signature");
  return h("section", { class: "sign", "aria-labelledby": id + "-title" },
    h("h3", { id: id + "-title" }, title),
    h("p", {}, walletBtn),
    h("details", {}, h("summary", {}, "Sign elsewhere (hardware wallet, cast, another machine)"),
      needsSteward ? h("p", {}, h("label", { for: addr.id }, "Your steward address"), " ", addr) : null,
      h("p", {}, dlBtn),
      h("p", {}, h("label", { for: sigText.id }, "Signature"), " ", sigText),
      h("p", {}, h("label", { for: sigFile.id }, "or a signature file"), " ", sigFile),
      h("p", {}, upBtn)));
}
