// The skeleton every page shares: which summit, which token (from the URL fragment, which
// browsers never send to a server), a notice area for the server's messages, and a live loop
// that reloads what the page shows whenever the summit's event stream moves.

import { ApiError, makeApi, path } from "./api.js";
import { byId, fill, h } from "./dom.js";
import { follow } from "./stream.js";

/** The summit id (the last path segment) and the fragment's parameters. */
export function pageContext() {
  const parts = location.pathname.split("/").filter(Boolean);
  const summit = decodeURIComponent(parts[parts.length - 1] || "");
  const params = new URLSearchParams(location.hash.slice(1));
  return { summit, params, token: params.get("token") };
}

/** Messages for people: the server's refusals (alert) and plain news (status). */
export function notifier(node) {
  return {
    info(text) {
      node.setAttribute("role", "status");
      fill(node, h("p", { class: "notice notice-info" }, h("span", { "aria-hidden": "true" }, "ℹ "), text));
    },
    error(error) {
      node.setAttribute("role", "alert");
      const text = error instanceof ApiError ? error.describe() : String(error && error.message ? error.message : error);
      fill(node, h("p", { class: "notice notice-error" }, h("span", { "aria-hidden": "true" }, "⚠ "), "Refused: ", text));
    },
    clear() {
      fill(node);
    },
  };
}

/**
 * Run a page: `load(api)` fetches what it shows, `render(state)` draws it; both run again
 * on every event of the summit (coalesced: one reload at a time, one more if events came
 * in meanwhile). `tick(state)` runs every second for countdowns.
 */
export function runPage({ load, render, tick = () => {}, token = null }) {
  const { summit } = pageContext();
  const notices = notifier(byId("notices"));
  const connection = byId("connection");
  const api = makeApi({
    token,
    onBusy: (seconds) => notices.info(`The server is busy; trying again in ${seconds} s.`),
  });
  const probe = (window.__parley = window.__parley || { renders: [], events: [] });
  let state = null;
  let running = false;
  let again = false;
  let newest = null;

  async function reload() {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        const seen = newest;
        state = await load(api, summit);
        render(state, api);
        document.body.dataset.ready = "true";
        if (seen) {
          document.body.dataset.seq = String(seen.seq);
          probe.renders.push({ seq: seen.seq, at: seen.at, shown: Date.now() });
        }
      } while (again);
    } catch (error) {
      notices.error(error);
    } finally {
      running = false;
    }
  }

  function show(stateName, detail) {
    const words = {
      live: ["●", "live"],
      reconnecting: ["◌", "reconnecting…"],
      ended: ["■", "summit concluded; stream closed"],
      error: ["⚠", `no live updates (${detail || "error"})`],
    }[stateName];
    fill(connection, h("span", { "aria-hidden": "true" }, words[0]), " ", words[1]);
    connection.dataset.state = stateName;
  }

  reload();
  follow(path("summits", summit, "stream"), {
    token,
    onEvent(event) {
      newest = event;
      probe.events.push({ seq: event.seq, type: event.type, at: event.at, got: Date.now() });
      reload();
    },
    onStatus: show,
  });
  setInterval(() => state && tick(state), 1000);
  return { api, notices, reload, summit };
}

/** Run an action, show the server's refusal if any, and reload; returns the result or null. */
export async function act(page, work, done) {
  page.notices.clear();
  try {
    const result = await work();
    if (done) page.notices.info(done);
    await page.reload();
    return result;
  } catch (error) {
    page.notices.error(error);
    return null;
  }
}

/** Load a summit with its current and previous round, red lines and concessions. */
export async function loadTable(api, summit) {
  const info = await api.get(path("summits", summit));
  const number = info.round ? info.round.number : info.rounds_played;
  const rounds = [];
  const wanted = [];
  if (number) wanted.push(number);
  if (number > 1) wanted.push(number - 1);
  const [redLines, concessions, ...fetched] = await Promise.all([
    api.get(path("summits", summit, "red-lines")),
    api.get(path("summits", summit, "concessions")),
    ...wanted.map((n) => api.get(path("summits", summit, "rounds", n))),
  ]);
  rounds.push(...fetched);
  return { summit: info, rounds, redLines: items(redLines), concessions: items(concessions) };
}

/** A list endpoint's items (an array, or an object holding them under `items`). */
export function items(answer) {
  return Array.isArray(answer) ? answer : (answer && answer.items) || [];
}
