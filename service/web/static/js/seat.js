// A delegation's seat: its agenda, red lines and preferences, the table, and every move it
// can make, all through the REST API with its own token (from the URL fragment).

import { path } from "./api.js";
import { makeComposer } from "./composer.js";
import { byId, fill, h, redraw } from "./dom.js";
import { act, loadTable, pageContext, runPage } from "./page.js";
import { utilityOf } from "./utility.js";
import { checkView, concessionsView, partyName, redLineView, roundView, settlementView, statusLine, tickCountdowns } from "./views.js";

const { summit: summitId, params, token } = pageContext();
const me = params.get("party");
let preferences;
let composer = null;
let worth = null;
let current = null;
let checkTimer = null;
let checkSerial = 0;
let page = null;
let redLineSignature = "";

async function load(api, summit, changes) {
  const own = preferences !== undefined
    ? preferences
    : api.get(path("summits", summit, "parties", me, "preferences")).catch((error) => {
        if (error.status !== 404) throw error;
        return null; // no preferences set
      });
  const [table, mine] = await Promise.all([loadTable(api, summit, changes), own]);
  preferences = mine;
  return { ...table, preferences };
}

function agendaView(summit) {
  return h(
    "dl",
    { class: "agenda" },
    summit.issues.map((issue) => [
      h("dt", {}, issue.title || issue.key, h("span", { class: "muted" }, ` (${issue.key}, ${issue.kind}${issue.kind === "integer" ? ` ${issue.min}–${issue.max}` : ""})`)),
      h(
        "dd",
        {},
        issue.description ? h("p", { id: `about-${issue.key}` }, issue.description) : null,
        issue.kind === "options"
          ? h("ul", {}, issue.options.map((option) => h("li", {}, h("strong", {}, option), issue.option_descriptions && issue.option_descriptions[option] ? ` — ${issue.option_descriptions[option]}` : "")))
          : null,
      ),
    ]),
  );
}

function preferencesView(summit) {
  if (!preferences) return h("p", { class: "muted" }, "You have set no preferences.");
  const weights = preferences.normalised_weights || preferences.weights;
  return h(
    "div",
    {},
    h("p", {}, `Reservation (no deal is worth): ${Number(preferences.reservation).toFixed(2)}`),
    h(
      "table",
      { class: "weights" },
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Issue"), h("th", { scope: "col" }, "Weight"))),
      h("tbody", {}, summit.issues.filter((issue) => weights[issue.key]).map((issue) => h("tr", {}, h("td", {}, issue.title || issue.key), h("td", {}, Number(weights[issue.key]).toFixed(2))))),
    ),
  );
}

function buildComposer(summit) {
  composer = makeComposer(summit.issues, scheduleCheck);
  fill(byId("composer-rows"), composer.rows);
  fill(byId("agenda"), agendaView(summit));
  fill(byId("concede-issue"), summit.issues.map((issue) => h("option", { value: issue.key }, issue.title || issue.key)));
  byId("composer").addEventListener("submit", (event) => {
    event.preventDefault();
    propose();
  });
  byId("repair").addEventListener("click", repair);
  byId("pass").addEventListener("click", passTurn);
  byId("clear").addEventListener("click", () => composer.set({}));
  byId("concede").addEventListener("submit", (event) => {
    event.preventDefault();
    concede();
  });
  scheduleCheck();
}

function scheduleCheck() {
  clearTimeout(checkTimer);
  checkTimer = setTimeout(runCheck, 120);
}

async function runCheck() {
  const pkg = composer.package();
  const serial = ++checkSerial;
  const report = byId("composer-report");
  const assigned = Object.keys(pkg).length;
  const value = worth ? worth(pkg) : null;
  const worthLine = value === null
    ? null
    : h("p", { class: "worth", id: "composer-worth" }, `Worth to you: ${value.toFixed(3)}`, assigned < current.summit.issues.length ? ` (so far: ${assigned} of ${current.summit.issues.length} issues set)` : "", preferences ? ` — your reservation is ${Number(preferences.reservation).toFixed(2)}` : "");
  try {
    const result = await page.api.post(path("summits", summitId, "check"), { package: pkg });
    if (serial !== checkSerial) return;
    fill(report, worthLine, checkView(current.summit, result));
  } catch (error) {
    if (serial !== checkSerial) return;
    fill(report, worthLine, h("p", { class: "notice notice-error", role: "alert" }, "⚠ Check refused: ", error.describe ? error.describe() : String(error)));
  }
}

function roundNumber() {
  return current.summit.round ? current.summit.round.number : "current";
}

async function propose() {
  const body = { package: composer.package(), rationale: byId("rationale").value };
  const done = await act(page, () => page.api.post(path("summits", summitId, "rounds", roundNumber(), "proposals"), body), "Your proposal is on the table.");
  if (done) byId("rationale").value = "";
}

async function passTurn() {
  await act(page, () => page.api.post(path("summits", summitId, "rounds", roundNumber(), "pass")), "You passed this phase.");
}

async function repair() {
  const result = await act(page, () => page.api.post(path("summits", summitId, "repair"), { package: composer.package(), keep: composer.pinned() }));
  if (result) {
    composer.set(result.package);
    page.notices.info(result.changed.length ? `Repaired: changed ${result.changed.join(", ")}.` : "Nothing to repair: the package breaks no red line.");
  }
}

function parseValue(issueKey, text) {
  const issue = current.summit.issues.find((i) => i.key === issueKey);
  if (issue && issue.kind === "integer" && /^-?\d+$/.test(text.trim())) return Number(text.trim());
  if (issue && issue.kind === "boolean") return ["true", "yes"].includes(text.trim().toLowerCase());
  return text.trim();
}

async function concede() {
  const issue = byId("concede-issue").value;
  const body = { issue, from: parseValue(issue, byId("concede-from").value), to: parseValue(issue, byId("concede-to").value), note: byId("concede-note").value };
  const done = await act(page, () => page.api.post(path("summits", summitId, "concessions"), body), "Concession recorded.");
  if (done) for (const id of ["concede-from", "concede-to", "concede-note"]) byId(id).value = "";
}

function respond(proposal, verdict) {
  const note = document.getElementById(`note-${proposal.id}`);
  const body = { proposal: proposal.id, verdict, note: note ? note.value : "" };
  act(page, () => page.api.post(path("summits", summitId, "rounds", proposal.round, "responses"), body), `You answered ${verdict}.`).then((done) => {
    if (done && note) note.value = "";
  });
}

function answerControls(round, proposal) {
  const summit = current.summit;
  if (!summit.round || summit.round.phase !== "responses" || summit.round.number !== round.number) return null;
  if (proposal.sealed || !proposal.complete || proposal.party === me) return null;
  const answered = round.responses.find((r) => r.proposal === proposal.id && r.party === me);
  if (answered) return null;
  const who = proposal.party === null ? "the mediator text" : `${partyName(summit, proposal.party)}'s proposal`;
  return h(
    "div",
    { class: "answer", role: "group", "aria-label": `Answer ${who}` },
    h("label", { for: `note-${proposal.id}` }, "Note"),
    h("input", { id: `note-${proposal.id}`, type: "text", maxlength: 4000 }),
    h("button", { type: "button", id: `accept-${proposal.id}`, onclick: () => respond(proposal, "accept") }, "✓ Accept"),
    h("button", { type: "button", id: `reject-${proposal.id}`, onclick: () => respond(proposal, "reject") }, "✗ Reject"),
  );
}

function relaxControls(redLine) {
  if (redLine.status !== "active" || current.summit.status === "concluded") return null;
  // The server enforces the rule; the seat only offers what it would accept.
  if (redLine.relax === "never") return h("p", { class: "relax-rule" }, "May not be relaxed.");
  const round = current.summit.round ? current.summit.round.number : 0;
  if (redLine.relax && round < redLine.relax.after_round) {
    return h("p", { class: "relax-rule" }, `May be relaxed from round ${redLine.relax.after_round} on.`);
  }
  return h(
    "div",
    { class: "relax" },
    h("label", { for: `relax-note-${redLine.id}` }, "Note"),
    h("input", { id: `relax-note-${redLine.id}`, type: "text", maxlength: 4000 }),
    h(
      "button",
      {
        type: "button",
        id: `relax-${redLine.id}`,
        onclick: () => {
          const note = document.getElementById(`relax-note-${redLine.id}`).value;
          act(page, () => page.api.post(path("summits", summitId, "red-lines", redLine.id, "relax"), { note }), "Red line relaxed (a concession).");
        },
      },
      "Relax this red line",
    ),
  );
}

function render(state) {
  const first = current === null;
  current = state;
  const { summit, rounds, redLines, concessions } = state;
  if (first) {
    worth = utilityOf(state.preferences, summit.issues);
    buildComposer(summit);
    fill(byId("preferences"), preferencesView(summit));
  }
  document.title = `${partyName(summit, me)} — ${summit.title}`;
  fill(byId("title"), summit.title);
  fill(byId("who"), `Seat of ${partyName(summit, me)} (${me})`);
  fill(byId("status"), statusLine(summit, me));
  fill(byId("outcome"), settlementView(summit));
  redraw(byId("rounds"), () => rounds.map((round) => roundView(summit, round, { actions: (proposal) => answerControls(round, proposal), worth })));
  redraw(byId("my-red-lines"), () => redLines.filter((rl) => rl.party === me).map((rl) => redLineView(summit, rl, relaxControls(rl))));
  fill(byId("other-red-lines"), redLines.filter((rl) => rl.party !== me).map((rl) => redLineView(summit, rl)));
  fill(byId("concessions"), concessionsView(summit, concessions, redLines));
  // Relaxing or declaring a red line changes what the composed package breaks.
  const lines = redLines.map((rl) => `${rl.id}:${rl.status}`).join(",");
  if (!first && lines !== redLineSignature) scheduleCheck();
  redLineSignature = lines;
}

if (!token || !me) {
  document.body.dataset.ready = "true";
  fill(byId("notices"), h("p", { class: "notice notice-error", role: "alert" }, "⚠ This seat link is incomplete: it needs #party=…&token=… (ask the convener for your link)."));
} else {
  page = runPage({ load, render, tick: tickCountdowns, token });
}

