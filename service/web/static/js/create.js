// Creating a summit from the console: a built-in scenario or an uploaded scenario file. The
// server's scenario desk reads it with the client library's reader and answers either the
// problems (each at file:line:column) or the calls that set the summit up; this page then
// makes those REST calls as any client does: create the summit, then declare each party's
// red lines and set its preferences with that party's own token.

import { ApiError, makeApi, path } from "./api.js";
import { byId, fill, h } from "./dom.js";
import { notifier } from "./page.js";

const notices = notifier(byId("notices"));
const desk = makeApi();
let builtins = [];

function about(scenario) {
  if (!scenario) return null;
  const seconds = scenario.phase_seconds ? `${scenario.phase_seconds} s a phase` : "no phase deadline";
  return [
    scenario.summary ? h("p", {}, scenario.summary) : null,
    h("p", {}, `${scenario.parties.map((p) => p.name).join(", ")} — up to ${scenario.max_rounds} rounds, ${seconds}.`),
  ];
}

async function listBuiltins() {
  try {
    builtins = await desk.get("/web/scenarios");
    const select = byId("scenario");
    fill(select, builtins.map((s) => h("option", { value: s.name }, `${s.title} (${s.name})`)));
    select.addEventListener("change", () => fill(byId("scenario-about"), about(builtins.find((s) => s.name === select.value))));
    fill(byId("scenario-about"), about(builtins[0]));
  } catch (error) {
    notices.error(error);
  }
}

/** The body of POST /summits, with the settings of this page over the scenario's. */
function summitBody(plan) {
  const body = structuredClone(plan.create);
  const seconds = byId("phase-seconds").value.trim();
  const rounds = byId("max-rounds").value.trim();
  if (seconds) body.protocol.phase_seconds = Number(seconds);
  if (rounds) body.protocol.max_rounds = Number(rounds);
  return body;
}

function showProblems(error) {
  const problems = (error.details && Array.isArray(error.details.errors) && error.details.errors) || [];
  const list = problems.length
    ? problems.map((p) => h("li", { "data-line": p.line ?? "", "data-column": p.column ?? "" }, p.located || p.message))
    : [h("li", {}, error.message)];
  fill(byId("scenario-errors"), list);
  byId("scenario-problems").hidden = false;
  byId("scenario-problems").focus();
}

function links(created) {
  const origin = location.origin;
  const id = created.summit.id;
  const tokens = created.tokens;
  const consoleFragment = new URLSearchParams({ token: tokens.convener });
  for (const [party, token] of Object.entries(tokens.parties)) consoleFragment.set(`seat-${party}`, token);
  const link = (href, attrs = {}) => h("a", { href, rel: "noreferrer", target: "_blank", ...attrs }, href);
  return [
    h("li", { id: "console-link" }, h("strong", {}, "Your console (keep it to yourself): "), link(`${origin}${path("console", id)}#${consoleFragment}`)),
    h("li", { id: "board-link" }, "Board for the room: ", link(`${origin}${path("board", id)}`)),
    created.summit.parties.map((party) => {
      const fragment = new URLSearchParams({ party: party.key, token: tokens.parties[party.key] });
      return h("li", { "data-party": party.key }, `Seat of ${party.name || party.key}: `, link(`${origin}${path("seat", id)}#${fragment}`));
    }),
  ];
}

/** Declare each party's red lines and set its preferences, each with the party's token. */
async function setTable(created, plan) {
  const id = created.summit.id;
  for (const party of plan.parties) {
    const api = makeApi({ token: created.tokens.parties[party.key] });
    for (const body of party.red_lines) await api.post(path("summits", id, "parties", party.key, "red-lines"), body);
    if (party.preferences) await api.put(path("summits", id, "parties", party.key, "preferences"), party.preferences);
  }
}

async function create(request) {
  notices.clear();
  byId("scenario-problems").hidden = true;
  byId("created").hidden = true;
  const buttons = [byId("create-builtin"), byId("create-file")];
  buttons.forEach((button) => (button.disabled = true));
  try {
    let plan;
    try {
      plan = await desk.post("/web/scenarios/check", request);
    } catch (error) {
      if (error instanceof ApiError && (error.status === 422 || error.status === 404)) showProblems(error);
      else notices.error(error);
      return;
    }
    const admin = byId("admin-token").value.trim();
    const created = await makeApi({ token: admin || null }).post("/summits", summitBody(plan));
    try {
      await setTable(created, plan);
    } catch (error) {
      // A summit half set up is no use to anyone: end it, and say what the server refused.
      const convener = makeApi({ token: created.tokens.convener });
      await convener.post(path("summits", created.summit.id, "abort"), { reason: "its set-up was refused" }).catch(() => null);
      throw error;
    }
    fill(byId("created-title"), `${created.summit.title} (${created.summit.id}) is in setup: open your console to start it, and hand each team its seat link.`);
    fill(byId("created-links"), links(created));
    byId("created").hidden = false;
    byId("created").focus();
  } catch (error) {
    notices.error(error);
  } finally {
    buttons.forEach((button) => (button.disabled = false));
  }
}

byId("builtin-form").addEventListener("submit", (event) => {
  event.preventDefault();
  create({ builtin: byId("scenario").value });
});
byId("file-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const file = byId("scenario-file").files[0];
  if (!file) {
    notices.info("Choose a scenario file first.");
    return;
  }
  create({ text: await file.text(), source: file.name });
});

listBuiltins().then(() => {
  document.body.dataset.ready = "true";
});
