// The skeleton every page shares: which summit, which token (from the URL fragment, which
// browsers never send to a server), a notice area for the server's messages, and a live loop
// that reloads what the page shows whenever the summit's event stream moves.

import { ApiError, makeApi, path } from "./api.js";
import { byId, fill, h } from "./dom.js";

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
  // The page's own log of what it received and when it drew it (read by the browser tests
  // and the web benchmark, which measure event-to-screen latency with it). Public data only.
  const probe = (window.__parley = window.__parley || { renders: [], events: [] });
  probe.startedAt = performance.now();
  let state = null;
  let running = false;
  let again = false;
  let newest = null;
  // Types of the events that arrived since the last load (null: load everything).
  let pending = null;

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
        const changes = { previous: state, types: pending };
        pending = new Set();
        state = await load(api, summit, changes);
        if (!probe.loadedAt) probe.loadedAt = performance.now();
        render(state, api);
        if (!probe.readyAt) probe.readyAt = performance.now();
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

  // The stream starts from the last event the first load already shows.
  // The live stream is not needed for the first render: its script loads once that is drawn.
  reload().then(async () => (await import("./stream.js")).follow(path("summits", summit, "stream"), {
    token,
    after: state ? state.summit.events : 0,
    onEvent(event) {
      newest = event;
      if (pending) pending.add(event.type);
      probe.events.push({ seq: event.seq, type: event.type, at: event.at, got: Date.now() });
      reload();
    },
    onStatus: show,
  }));
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

// Which parts of the table an event may change (the summit itself is always read again).
const TOUCHES = {
  redLines: (type) => type.startsWith("red_line.") || type === "summit.created",
  concessions: (type) => type.startsWith("concession.") || type === "red_line.relaxed" || type === "round.closed",
  rounds: (type) => !type.startsWith("red_line.declared") && type !== "preferences.set",
};

/**
 * Load a summit with its current and previous round, red lines and concessions. With
 * `changes` ({previous, types}), parts that none of the new events touch are kept;
 * `extra(summit)` fetches more beside them, its answer returned as `extra`.
 */
export async function loadTable(api, summit, changes = {}, extra = null) {
  const previous = changes.previous || null;
  const types = changes.types || null;
  const stale = (part) => !previous || !types || [...types].some(TOUCHES[part]);
  const kept = previous ? new Map(previous.rounds.map((round) => [round.number, round])) : new Map();
  // The current round (the last one played, once the summit has concluded) and the one
  // before it, fetched alongside the summit rather than after it.
  const current = stale("rounds") || !previous
    ? api.get(path("summits", summit, "rounds", "current")).catch((error) => {
        if (error.status === 404) return null; // no round yet (setup)
        throw error;
      })
    : Promise.resolve(previous.rounds[0] || null);
  const before = current.then((round) => {
    if (!round || round.number < 2) return null;
    const earlier = kept.get(round.number - 1);
    // A round that had closed before the last load has not changed since.
    return earlier && earlier.phase === "closed" ? earlier : api.get(path("summits", summit, "rounds", round.number - 1));
  });
  const summitP = api.get(path("summits", summit));
  // What a page needs besides, once it knows the summit (fetched beside the rest).
  const extraP = extra ? summitP.then(extra) : Promise.resolve(null);
  const [info, redLines, concessions, latest, earlier, more] = await Promise.all([
    summitP,
    stale("redLines") ? api.get(path("summits", summit, "red-lines")).then(items) : previous.redLines,
    stale("concessions") ? api.get(path("summits", summit, "concessions")).then(items) : previous.concessions,
    current,
    before,
    extraP,
  ]);
  return { summit: info, rounds: [latest, earlier].filter(Boolean), redLines, concessions, extra: more };
}

/** A list endpoint's items (an array, or an object holding them under `items`). */
export function items(answer) {
  return Array.isArray(answer) ? answer : (answer && answer.items) || [];
}
