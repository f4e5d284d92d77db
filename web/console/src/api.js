// The console's API client: the bearer token lives in sessionStorage only
// (no cookies); it arrives once in the URL fragment (#token=...), which is
// never sent to the server, and is removed from the address bar.

const KEY = "groundtruth.console.token";

/** takeToken moves a token from the URL fragment into sessionStorage. */
export function takeToken() {
  const m = location.hash.match(/^#token=([A-Za-z0-9_\-]+)/);
  if (m) {
    sessionStorage.setItem(KEY, m[1]);
    history.replaceState(null, "", location.pathname + "#/");
  }
  return sessionStorage.getItem(KEY);
}

export function setToken(t) { sessionStorage.setItem(KEY, t); }
export function clearToken() { sessionStorage.removeItem(KEY); }

/** APIError is a refusal by the server, with its status. */
export class APIError extends Error {
  constructor(status, msg) { super(msg); this.status = status; }
}

/** api calls /console/api/PATH with the token; body is sent as JSON. */
export async function api(path, body) {
  const init = { headers: { Authorization: "Bearer " + (sessionStorage.getItem(KEY) || "") } };
  if (body !== undefined) {
    init.method = "POST";
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const res = await fetch("/console/api/" + path, init);
  const doc = await res.json().catch(() => ({}));
  if (!res.ok) throw new APIError(res.status, doc.error || res.statusText);
  return doc;
}
