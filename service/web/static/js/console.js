// The convener's console: run the summit, see every red line and preference, ask whether a
// deal is possible and what blocks it, ask the solver for mediator texts and table one.

import { path } from "./api.js";
import { makeComposer } from "./composer.js";
import { badge, byId, fill, h, packageView, timeLeft } from "./dom.js";
import { act, loadTable, pageContext, runPage } from "./page.js";
import { checkView, concessionsView, partyName, redLineName, redLineView, roundView, settlementView, statusLine, tickCountdowns } from "./views.js";

const { summit: summitId, params, token } = pageContext();
let page = null;
let current = null;
let composer = null;
let redLineSignature = null;
let checkTimer = null;

// The table is drawn first; the panels that take longer (every party's preferences, the
// solver's answer on conflicts) fill in as they arrive. The page notes when both are in.
const panels = new Set();
function panelDrawn(name) {
  panels.add(name);
  const probe = window.__parley;
  if (probe && !probe.completeAt && panels.has("preferences") && panels.has("conflicts")) probe.completeAt = performance.now();
}

async function load(api, summit, changes) {
  const { previous, types } = changes;
  const keep = previous && types && !types.has("preferences.set");
  const table = await loadTable(api, summit, changes);
  return { ...table, preferences: keep ? previous.preferences : null };
}

async function showPreferences(state) {
  try {
    state.preferences = await loadPreferences(page.api, summitId, state.summit);
    if (current === state) fill(byId("preferences"), preferencesView(state.summit, state.preferences));
  } catch (error) {
    fill(byId("preferences"), h("p", { class: "notice notice-error", role: "alert" }, "⚠ ", error.describe ? error.describe() : String(error)));
  }
  panelDrawn("preferences");
}

async function loadPreferences(api, summit, info) {
  const preferences = {};
  await Promise.all(
    info.parties.map(async (party) => {
      try {
        preferences[party.key] = await api.get(path("summits", summit, "parties", party.key, "preferences"));
      } catch (error) {
        if (error.status !== 404) throw error; // 404: none set
      }
    }),
  );
  return preferences;
}

function linksView(summit) {
  const origin = location.origin;
  const rows = [h("li", {}, "Board for the room: ", h("a", { href: path("board", summit.id) }, `${origin}${path("board", summit.id)}`))];
  for (const [key, value] of params) {
    if (!key.startsWith("seat-")) continue;
    const party = key.slice(5);
    const fragment = new URLSearchParams({ party, token: value }).toString();
    const link = `${origin}${path("seat", summit.id)}#${fragment}`;
    rows.push(h("li", { "data-party": party }, `Seat of ${partyName(summit, party)}: `, h("a", { href: link, rel: "noreferrer", target: "_blank" }, link)));
  }
  if (rows.length === 1) rows.push(h("li", { class: "muted" }, "Seat links are printed by `parley summit open` (this console link was opened without them)."));
  // The debrief: the convener's own view (the token stays in the fragment) and the public one.
  const own = `${path("review", summit.id)}#${new URLSearchParams({ token }).toString()}`;
  rows.push(
    h("li", { id: "review-links" }, "Debrief: ", h("a", { id: "review-own", href: own, rel: "noreferrer", target: "_blank" }, "the convener's review"), " · ", h("a", { id: "review-public", href: path("review", summit.id), target: "_blank" }, `${origin}${path("review", summit.id)}`), " (public)"),
  );
  return rows;
}

function preferencesView(summit, preferences) {
  return summit.parties.map((party) => {
    const prefs = preferences[party.key];
    if (!prefs) return h("p", {}, h("strong", {}, partyName(summit, party.key)), ": no preferences set.");
    const weights = prefs.normalised_weights || prefs.weights;
    return h(
      "details",
      { "data-party": party.key },
      h("summary", {}, `${partyName(summit, party.key)} — reservation ${Number(prefs.reservation).toFixed(2)}`),
      h("table", {}, h("tbody", {}, summit.issues.filter((i) => weights[i.key]).map((i) => h("tr", {}, h("td", {}, i.title || i.key), h("td", {}, Number(weights[i.key]).toFixed(2)))))),
    );
  });
}

async function showConflicts() {
  const node = byId("conflicts");
  fill(node, h("p", { class: "muted" }, "Asking the solver…"));
  try {
    const answer = await page.api.get(path("summits", summitId, "conflicts"));
    const summit = current.summit;
    const verdict = answer.feasible === null
      ? h("p", {}, badge("undetermined", "the solver ran out of time"))
      : answer.feasible
        ? h("p", { class: "feasible" }, badge("clear", "A deal is possible"), ": some package breaks no active red line.")
        : h("p", { class: "infeasible" }, badge("violated", "No deal is possible"), ": no package satisfies every active red line.");
    fill(
      node,
      verdict,
      answer.conflicts.length
        ? h("ol", { class: "conflict-sets" }, answer.conflicts.map((set, i) => h("li", { class: "conflict-set" }, h("strong", {}, `Conflict set ${i + 1}: `), "these cannot all hold together:", h("ul", {}, set.red_lines.map((rl) => h("li", {}, redLineName(summit, rl), ` — ${partyName(summit, rl.party)}`))))))
        : null,
      answer.witness ? h("div", {}, h("p", {}, "For example:"), packageView(answer.witness, summit.issues)) : null,
    );
  } catch (error) {
    fill(node, h("p", { class: "notice notice-error", role: "alert" }, "⚠ ", error.describe ? error.describe() : String(error)));
  } finally {
    panelDrawn("conflicts");
  }
}

async function suggest() {
  const objective = byId("objective").value;
  const node = byId("suggestions");
  fill(node, h("p", { class: "muted" }, "Asking the solver…"));
  try {
    const answer = await page.api.get(`${path("summits", summitId, "mediator", "suggestions")}?objective=${encodeURIComponent(objective)}&limit=3`);
    const summit = current.summit;
    if (!answer.suggestions.length) {
      fill(node, h("p", {}, "No package breaks no red line: nothing to suggest."));
      return;
    }
    fill(
      node,
      answer.suggestions.map((s, i) =>
        h(
          "article",
          { class: "proposal suggestion", "data-suggestion": i },
          h("h4", {}, `Suggestion ${i + 1} (${s.objective} ${Number(s.value).toFixed(3)}, ${s.status}${s.pareto_optimal ? ", Pareto optimal" : ""})`),
          packageView(s.package, summit.issues),
          h("p", {}, "Utilities: ", Object.entries(s.utilities).map(([party, u]) => `${partyName(summit, party)} ${Number(u).toFixed(3)}`).join("; ")),
          h("button", { type: "button", id: `use-suggestion-${i}`, onclick: () => composer.set(s.package) }, "Put into the mediator text"),
        ),
      ),
    );
  } catch (error) {
    fill(node, h("p", { class: "notice notice-error", role: "alert" }, "⚠ ", error.describe ? error.describe() : String(error)));
  }
}

function scheduleCheck() {
  clearTimeout(checkTimer);
  checkTimer = setTimeout(async () => {
    try {
      const report = await page.api.post(path("summits", summitId, "check"), { package: composer.package() });
      fill(byId("composer-report"), checkView(current.summit, report));
    } catch (error) {
      fill(byId("composer-report"), h("p", { class: "notice notice-error" }, "⚠ ", error.describe ? error.describe() : String(error)));
    }
  }, 150);
}

/** Seconds typed into an input: a number, null when blank; throws on anything else. */
function seconds(id) {
  const text = byId(id).value.trim();
  if (text === "") return null;
  const value = Number(text);
  // (JSON would send Infinity as null, which clears the deadline instead.)
  if (!Number.isFinite(value)) throw new Error(`${text} is not a number of seconds`);
  return value;
}

function setClock(field, id, done) {
  act(page, () => page.api.patch(path("summits", summitId, "protocol"), { [field]: seconds(id) }), done);
}

function clockView(summit) {
  const each = summit.protocol.phase_seconds;
  const deadline = summit.round && summit.round.deadline;
  return [
    `Each phase: ${each ? `${each} s` : "no deadline"}. `,
    summit.round ? `This phase (round ${summit.round.number}, ${summit.round.phase}): ${deadline ? `ends at ${new Date(deadline).toLocaleTimeString()} (${timeLeft(deadline)})` : "no deadline"}.` : "No phase is running.",
  ];
}

function roundNumber() {
  return current.summit.round ? current.summit.round.number : "current";
}

function wire(summit) {
  composer = makeComposer(summit.issues, scheduleCheck);
  fill(byId("composer-rows"), composer.rows);
  fill(byId("links"), linksView(summit));
  byId("composer").addEventListener("submit", (event) => {
    event.preventDefault();
    act(page, () => page.api.post(path("summits", summitId, "rounds", roundNumber(), "proposals"), { package: composer.package(), rationale: byId("rationale").value }), "The mediator text is on the table.");
  });
  byId("pass").addEventListener("click", () => act(page, () => page.api.post(path("summits", summitId, "rounds", roundNumber(), "pass")), "Passed: no mediator text this round."));
  byId("suggest-form").addEventListener("submit", (event) => {
    event.preventDefault();
    suggest();
  });
  byId("deadline-form").addEventListener("submit", (event) => {
    event.preventDefault();
    setClock("deadline_in_seconds", "deadline-in", "The current phase's deadline is set.");
  });
  byId("phase-form").addEventListener("submit", (event) => {
    event.preventDefault();
    setClock("phase_seconds", "phase-length", "The length of each phase is set.");
  });
  byId("start").addEventListener("click", () => act(page, () => page.api.post(path("summits", summitId, "start")), "The summit has started."));
  byId("advance").addEventListener("click", () => act(page, () => page.api.post(path("summits", summitId, "rounds", roundNumber(), "advance")), "Phase closed."));
  byId("abort").addEventListener("click", () => {
    if (!window.confirm("Abort the summit? It ends with no agreement.")) return;
    act(page, () => page.api.post(path("summits", summitId, "abort"), { reason: byId("abort-reason").value }), "The summit was aborted.");
  });
  byId("verify").addEventListener("click", async () => {
    const result = await act(page, () => page.api.get(path("summits", summitId, "history", "verify")));
    if (result) {
      fill(byId("verification"), h("p", {}, result.valid ? badge("clear", "The record is intact") : badge("violated", `The record is broken at event ${result.first_bad_seq}`), ` — ${result.events} events, head ${result.head.slice(0, 16)}…`));
    }
  });
  scheduleCheck();
}

function render(state) {
  const first = current === null;
  current = state;
  const { summit, rounds, redLines, concessions } = state;
  if (first) wire(summit);
  document.title = `Console — ${summit.title}`;
  fill(byId("title"), `Convener's console — ${summit.title}`);
  fill(byId("status"), statusLine(summit));
  fill(byId("outcome"), settlementView(summit));
  byId("start").disabled = summit.status !== "setup";
  byId("advance").disabled = summit.status !== "open";
  byId("abort").disabled = summit.status === "concluded";
  byId("set-deadline").disabled = summit.status !== "open";
  byId("set-phase-length").disabled = summit.status === "concluded";
  fill(byId("clock-now"), clockView(summit));
  fill(byId("rounds"), rounds.map((round) => roundView(summit, round)));
  fill(byId("red-lines"), redLines.map((rl) => redLineView(summit, rl)));
  if (state.preferences) fill(byId("preferences"), preferencesView(summit, state.preferences));
  else showPreferences(state);
  fill(byId("concessions"), concessionsView(summit, concessions, redLines));
  const lines = redLines.map((rl) => `${rl.id}:${rl.status}`).join(",");
  if (lines !== redLineSignature) {
    redLineSignature = lines;
    showConflicts();
  }
}

if (!token) {
  document.body.dataset.ready = "true";
  fill(byId("notices"), h("p", { class: "notice notice-error", role: "alert" }, "⚠ This console link is incomplete: it needs #token=… (printed by parley summit open)."));
} else {
  page = runPage({ load, render, tick: tickCountdowns, token });
}
