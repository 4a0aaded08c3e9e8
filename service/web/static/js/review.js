// The review page: a summit's debrief drawn in the browser from the REST API for the token
// in the URL fragment (never sent to a server): the outcome's measures, the charts (plotly,
// served by this server from the installed plotly package), and the state at the end of any
// round with what moved since the round before. The page sees what the token's role may see.

import { makeApi, path } from "./api.js";
import { badge, byId, fill, h, packageView, showValue } from "./dom.js";
import { pageContext } from "./page.js";
import { concessionsView, partyName, redLineView, roundView, settlementView, statusLine } from "./views.js";

const CHARTS = [
  ["utility", "Utility of every proposal to each party"],
  ["timeline", "Concessions, round by round"],
  ["plane", "The plane of two parties' utilities"],
];

const { summit: summitId, params, token } = pageContext();
const api = makeApi({ token });
const notices = byId("notices");

function refused(error) {
  const text = error && error.describe ? error.describe() : String(error && error.message ? error.message : error);
  return h("p", { class: "notice notice-error", role: "alert" }, h("span", { "aria-hidden": "true" }, "⚠ "), "Refused: ", text);
}

/** The chain check, which only the convener may make. */
const verificationFor = (viewedAs) =>
  viewedAs.role === "convener" ? api.get(path("summits", summitId, "history", "verify")) : Promise.resolve(null);

const number = (value) => (value === null || value === undefined ? "—" : Number(value).toFixed(3));

function utilitiesLine(summit, utilities) {
  const entries = Object.entries(utilities || {});
  if (!entries.length) return null;
  return h(
    "p",
    { class: "worth" },
    "Utility: ",
    entries.map(([party, value], i) => [i ? ", " : "", `${partyName(summit, party)} ${number(value)}`]),
  );
}

function measuresView(summit, measures) {
  if (!measures) return h("p", { class: "muted" }, "No settlement to measure.");
  const rows = measures.parties.map((party) =>
    h(
      "tr",
      { "data-party": party },
      h("th", { scope: "row" }, partyName(summit, party)),
      h("td", {}, number(measures.utilities[party])),
      h("td", {}, number(measures.reservations[party])),
      h("td", {}, number(measures.gains_over_reservation[party])),
    ),
  );
  const parts = [
    h(
      "table",
      { id: "measures-parties" },
      h("caption", {}, "Each party's utility of the settlement and its gain over its reservation value"),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "party"), h("th", { scope: "col" }, "utility"), h("th", { scope: "col" }, "reservation"), h("th", { scope: "col" }, "gain"))),
      h("tbody", {}, rows.length ? rows : h("tr", {}, h("td", { colspan: 4, class: "muted" }, "No party's utilities are yours to see."))),
    ),
  ];
  if (measures.restricted) {
    parts.unshift(h("p", { class: "muted", id: "measures-restricted" }, "The joint measures (Pareto optimality, the gain left on the table, the distances) rest on every party's preferences: the convener's to read, or everyone's once the summit is declassified."));
    return parts;
  }
  const joint = measures.joint_gain || {};
  parts.unshift(
    h(
      "ul",
      { id: "measures-joint" },
      h("li", {}, "Pareto-optimal: ", measures.pareto_optimal === null ? "unknown" : badge(measures.pareto_optimal ? "satisfied" : "violated", measures.pareto_optimal ? "yes" : "no")),
      h("li", {}, `Largest gain every party could have had at once: ${number(joint.gain)} (${joint.status || "unknown"})`),
      Object.entries(measures.targets || {}).map(([name, target]) =>
        h("li", { "data-target": name }, `Distance to the ${name} package: ${number(target.distance)} (${target.status}${target.reason ? ": " + target.reason : ""})`),
      ),
    ),
  );
  return parts;
}

function verificationView(verification) {
  if (!verification) return null;
  return h(
    "p",
    { id: "chain" },
    "The record's hash chain: ",
    badge(verification.valid ? "satisfied" : "violated", verification.valid ? "valid" : `broken at event ${verification.first_bad_seq}`),
    ` (${verification.events} events)`,
  );
}

function drawCharts(figures) {
  const container = byId("charts");
  fill(container);
  const drawn = [];
  for (const [name, title] of CHARTS) {
    const figure = figures[name];
    if (!figure) continue;
    const node = h("div", { id: `chart-${name}`, class: "chart", role: "img", "aria-label": title });
    container.append(node);
    drawn.push(window.Plotly.newPlot(node, figure.data, figure.layout, { displaylogo: false, responsive: true }));
  }
  if (!drawn.length) container.append(h("p", { class: "muted" }, "No charts."));
  return Promise.all(drawn);
}

/** The review round in the shape the shared round view draws. */
function asRound(round) {
  // The verdict of each proposal's check when it was tabled (the shared view draws a check).
  const proposals = round.proposals.map((p) => (p.sealed ? p : { ...p, check: { verdict: p.verdict || "clear", complete: p.complete, red_lines: [] } }));
  return {
    ...round,
    proposals,
    passes: round.passes.map((party) => ({ party })),
    settled_by: round.closed ? round.closed.settled_by : null,
  };
}

function diffView(summit, diff) {
  if (!diff) return h("p", { class: "muted" }, "The first round: nothing before it.");
  const items = [];
  for (const [party, moves] of Object.entries(diff.parties)) {
    const change = moves.utility_change === null || moves.utility_change === undefined ? "" : ` (its utility ${moves.utility_change >= 0 ? "+" : ""}${moves.utility_change.toFixed(3)})`;
    const moved = moves.moved.length
      ? h("ul", {}, moves.moved.map((m) => h("li", { "data-issue": m.issue }, `${m.issue}: ${showValue(m.from)} → ${showValue(m.to)}`)))
      : h("span", { class: "muted" }, " moved nothing");
    items.push(h("li", { "data-party": party }, h("strong", {}, partyName(summit, party)), change, moved));
  }
  return h("ul", { class: "diff" }, items);
}

async function showRound(summit, n) {
  const [state, diff] = await Promise.all([
    api.get(`${path("summits", summitId, "state")}?round=${n}`),
    n > 1 ? api.get(`${path("summits", summitId, "diff")}?from=${n - 1}&to=${n}`) : Promise.resolve(null),
  ]);
  const withUtilities = (proposal) => (proposal.sealed ? null : utilitiesLine(summit, proposal.utilities));
  fill(byId("round"), state.round ? roundView(summit, asRound(state.round), { actions: withUtilities }) : h("p", { class: "muted" }, "No round."));
  fill(byId("diff"), diffView(summit, diff));
  fill(
    byId("positions"),
    h(
      "ul",
      {},
      Object.entries(state.positions).map(([party, proposal]) =>
        h("li", { "data-party": party }, h("strong", {}, partyName(summit, party)), proposal ? [` (round ${proposal.round})`, packageView(proposal.package, summit.issues), utilitiesLine(summit, proposal.utilities)] : " has tabled nothing yet"),
      ),
    ),
  );
  fill(byId("red-lines"), state.red_lines.map((rl) => redLineView(summit, rl)));
  fill(byId("concessions"), concessionsView(summit, state.concessions, state.red_lines));
  document.body.dataset.round = String(n);
}

async function main() {
  const summit = await api.get(path("summits", summitId));
  document.title = `Review — ${summit.title}`;
  fill(byId("title"), "Review: ", summit.title);
  fill(byId("status"), statusLine(summit));
  fill(byId("outcome"), settlementView(summit));
  const measuresP = summit.settlement ? api.get(path("summits", summitId, "measures")).catch((error) => ({ error })) : Promise.resolve(null);
  // The state says whom it was written for: the page asks nothing else to learn it.
  const [state, charts, measures] = await Promise.all([
    api.get(path("summits", summitId, "state")),
    api.get(path("summits", summitId, "charts")),
    measuresP,
  ]);
  const who = state.viewed_as;
  const verification = await verificationFor(who);
  fill(byId("viewed-as"), who.role === "delegation" ? `delegation (${partyName(summit, who.party)})` : who.role);
  fill(byId("declassified"), state.declassified ? "(declassified: every private red line, preference and utility is open)" : "");
  fill(byId("measures"), measures && measures.error ? refused(measures.error) : measuresView(summit, measures));
  fill(byId("verification"), verificationView(verification));
  await drawCharts(charts);
  // The rounds played so far (the summit's own round is null once it has concluded).
  const played = state.at.round || 0;
  const picker = byId("round-picker");
  fill(picker, Array.from({ length: played }, (_, i) => h("option", { value: i + 1 }, `${i + 1}`)));
  picker.disabled = played === 0;
  if (played) {
    const wanted = Number(params.get("round"));
    const first = Number.isInteger(wanted) && wanted >= 1 && wanted <= played ? wanted : played;
    picker.value = String(first);
    await showRound(summit, first);
    picker.addEventListener("change", async () => {
      document.body.dataset.ready = "false";
      try {
        await showRound(summit, Number(picker.value));
      } catch (error) {
        fill(notices, refused(error));
      }
      document.body.dataset.ready = "true";
    });
  } else {
    fill(byId("round"), h("p", { class: "muted" }, "No round has been played."));
  }
}

main()
  .catch((error) => fill(notices, refused(error)))
  .finally(() => {
    document.body.dataset.ready = "true";
  });
