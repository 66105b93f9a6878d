/* global document, fetch, location, URLSearchParams, WebSocket, window -- a browser script */
// A browser client of the API, without a framework: log in, call protected routes, refresh the
// access token when the API answers 401, log out, and open the WebSocket with ?token=.
//
// Where the API is comes from the page's address:
//   index.html?api=https://<id>.execute-api.<region>.amazonaws.com/v1&ws=wss://<id>.execute-api.<region>.amazonaws.com/v1
// (`terraform output invoke_url` and `websocket_url`). The page's own origin must be the module's
// `cors.allow_origin`, or the browser refuses to hand the API's answers to this script.

const params = new URLSearchParams(location.search);
const api = (params.get("api") ?? "").replace(/\/$/, "");
const ws = params.get("ws") ?? "";
document.querySelector("#api").textContent = api || "(add ?api=<invoke URL> to this page's address)";
document.querySelector("#ws").textContent = ws || "(none: add &ws=<WebSocket URL>)";

// Tokens stay in memory: nothing written to localStorage outlives the tab for another script to read.
// window.session lets you look at them from the developer tools.
const session = { accessToken: undefined, refreshToken: undefined };
window.session = session;

const logList = document.querySelector("#log");
function log(step, status, text) {
  const item = document.createElement("li");
  item.dataset.step = step;
  item.dataset.status = String(status);
  item.dataset.ok = String(typeof status === "number" ? status < 400 : !["refused", "error"].includes(status));
  item.textContent = `${step}: ${status} ${text}`;
  logList.append(item);
}

/**
 * One request. A rejected fetch is the browser refusing the answer (CORS) or no answer at all; the
 * browser does not tell a script which, only its console does.
 */
async function call(step, path, init = {}) {
  try {
    const response = await fetch(`${api}${path}`, init);
    const body = await response.json().catch(() => null);
    // WWW-Authenticate is readable only because the API exposes it (Access-Control-Expose-Headers).
    return { status: response.status, body, wwwAuthenticate: response.headers.get("www-authenticate") };
  } catch (error) {
    log(step, "refused", `${error.name}: ${error.message} (see the browser console for why)`);
    return undefined;
  }
}

const postJson = (value) => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(value),
});

function keep(tokens) {
  session.accessToken = tokens.access_token;
  session.refreshToken = tokens.refresh_token;
}

async function login(username, password) {
  const answer = await call("login", "/auth/token", postJson({ username, password }));
  if (answer === undefined) return;
  if (answer.status === 200) keep(answer.body);
  log("login", answer.status, answer.status === 200 ? `logged in as ${username}` : (answer.body?.error ?? ""));
}

async function refresh() {
  if (session.refreshToken === undefined) return false;
  const answer = await call("refresh", "/auth/refresh", postJson({ refresh_token: session.refreshToken }));
  if (answer === undefined) return false;
  if (answer.status === 200) keep(answer.body);
  log("refresh", answer.status, answer.status === 200 ? "new access and refresh tokens" : (answer.body?.error ?? ""));
  return answer.status === 200;
}

/** A protected GET; on 401 (an expired or rejected access token) it refreshes once and retries. */
async function get(step, path) {
  if (session.accessToken === undefined) {
    log(step, "error", "log in first");
    return;
  }
  const send = () => call(step, path, { headers: { authorization: `Bearer ${session.accessToken}` } });
  let answer = await send();
  if (answer?.status === 401) {
    log(step, 401, `WWW-Authenticate: ${answer.wwwAuthenticate}; refreshing`);
    if (await refresh()) answer = await send();
  }
  if (answer === undefined) return;
  const text =
    answer.status === 200
      ? `principal ${answer.body?.principal}`
      : answer.status === 403
        ? `forbidden: ${answer.body?.message}`
        : (answer.body?.message ?? "");
  log(step, answer.status, text);
}

async function logout() {
  if (session.refreshToken === undefined) {
    log("logout", "error", "not logged in");
    return;
  }
  const answer = await call("logout", "/auth/logout", postJson({ refresh_token: session.refreshToken }));
  session.accessToken = undefined;
  session.refreshToken = undefined;
  if (answer !== undefined) log("logout", answer.status, "refresh token revoked, tokens forgotten");
}

/** Browsers cannot set headers on a WebSocket, so the access token travels as ?token=. */
function openWebSocket() {
  if (ws === "" || session.accessToken === undefined) {
    log("websocket", "error", ws === "" ? "no WebSocket URL (&ws=)" : "log in first");
    return;
  }
  const socket = new WebSocket(`${ws}?token=${encodeURIComponent(session.accessToken)}`);
  socket.onopen = () => {
    log("websocket", "open", "connected");
    socket.send(JSON.stringify({ text: "hello" }));
  };
  socket.onmessage = (event) => {
    log("websocket", "message", event.data);
    socket.close(1000);
  };
  // A refused handshake (401/403) shows only as an error then close code 1006: browsers hide the status.
  socket.onerror = () => log("websocket", "error", "the handshake or the connection failed");
  socket.onclose = (event) => log("websocket", "closed", `code ${event.code}`);
}

document.querySelector("#login-form").addEventListener("submit", (event) => {
  event.preventDefault();
  void login(document.querySelector("#username").value, document.querySelector("#password").value);
});
document.querySelector("#call-api").addEventListener("click", () => void get("api", "/api"));
document.querySelector("#call-item").addEventListener("click", () => void get("item", "/api/items/42"));
document.querySelector("#open-ws").addEventListener("click", openWebSocket);
document.querySelector("#logout").addEventListener("click", () => void logout());
