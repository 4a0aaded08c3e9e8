// What the pages show, drawn from API shapes: the status of the table, red lines, check
// reports, rounds with their proposals and responses, concessions and the outcome.

import { badge, h, packageView, showValue, timeLeft } from "./dom.js";

/** A party's display name. */
export function partyName(summit, key) {
  if (key === null || key === undefined) return "the mediator";
  const party = summit.parties.find((p) => p.key === key);
  return party ? party.name || party.key : key;
}

/** The round, phase, time left and who is awaited; `me` is the seat's party key. */
export function statusLine(summit, me = null) {
  const parts = [];
  if (summit.status === "setup") parts.push(h("span", {}, "Not started yet (setup)"));
  if (summit.round) {
    const max = summit.protocol && summit.protocol.max_rounds;
    parts.push(h("span", { class: "round" }, `Round ${summit.round.number}${max ? " of " + max : ""}`));
    parts.push(h("span", { class: "phase" }, `Phase: ${summit.round.phase}`));
    const left = timeLeft(summit.round.deadline);
    if (left) parts.push(h("span", { class: "countdown", "data-deadline": summit.round.deadline }, `⏱ ${left}`));
    const waiting = summit.round.waiting_for || [];
    if (waiting.length) {
      const names = waiting.map((key) => (key === me ? "you" : key === "convener" ? "the convener" : partyName(summit, key)));
      parts.push(h("span", { class: "waiting" }, `Waiting for: ${names.join(", ")}`));
    }
  }
  if (summit.status === "concluded") parts.push(outcomeView(summit));
  return h("p", { class: "status-line" }, parts.map((part, i) => [i ? h("span", { class: "sep", "aria-hidden": "true" }, " · ") : null, part]));
}

/** Refresh every countdown on the page. */
export function tickCountdowns() {
  for (const node of document.querySelectorAll(".countdown[data-deadline]")) {
    node.textContent = `⏱ ${timeLeft(node.dataset.deadline)}`;
  }
}

/** The outcome of a concluded summit. */
export function outcomeView(summit) {
  return h("span", { class: "outcome" }, "Concluded: ", badge(summit.outcome || "aborted"));
}

/** How a red line is named to this viewer: its label, or "a private red line of X". */
export function redLineName(summit, entry) {
  if (entry.label) return entry.label;
  return `a private red line of ${partyName(summit, entry.party)}`;
}

/** One red line, as the API showed it to this viewer. */
export function redLineView(summit, redLine, extra = null) {
  const hidden = !redLine.label;
  return h(
    "li",
    { class: `red-line ${hidden ? "hidden-red-line" : ""}`, "data-id": redLine.id },
    h("span", { class: "name" }, redLineName(summit, redLine)),
    " ",
    badge(redLine.status || "active"),
    " ",
    h("span", { class: "visibility" }, redLine.visibility === "private" ? "(private)" : "(public)"),
    hidden ? null : h("span", { class: "owner" }, ` — ${partyName(summit, redLine.party)}`),
    redLine.expr ? h("code", { class: "expr" }, redLine.expr) : null,
    redLine.rationale ? h("p", { class: "rationale" }, redLine.rationale) : null,
    redLine.relax_note ? h("p", { class: "relax-note" }, `Relaxed: ${redLine.relax_note}`) : null,
    extra,
  );
}

/** A check report: the verdict and every red line's status (by the names this viewer may see). */
export function checkView(summit, report, { onlyProblems = false } = {}) {
  if (!report) return null;
  const entries = report.red_lines.filter((entry) => !onlyProblems || entry.status !== "satisfied");
  return h(
    "div",
    { class: "check" },
    h("p", { class: "verdict" }, "Check: ", badge(report.verdict), report.complete ? " (full package)" : " (partial package)"),
    entries.length
      ? h("ul", { class: "check-list" }, entries.map((entry) => h("li", { "data-status": entry.status }, badge(entry.status), " ", redLineName(summit, entry), entry.explanation ? h("span", { class: "explanation" }, ` — ${entry.explanation}`) : null)))
      : null,
  );
}

/**
 * A round: its proposals (each with its check and its responses) and passes.
 * `actions(proposal)` may return controls to put under a proposal; `worth(pkg)` a utility.
 */
export function roundView(summit, round, { actions = null, worth = null, title = null } = {}) {
  const section = h("section", { class: "round-view", "data-round": round.number, "aria-label": `Round ${round.number}` });
  section.append(h("h3", {}, title || `Round ${round.number} — ${round.phase}`));
  if (!round.proposals.length) section.append(h("p", { class: "muted" }, "No proposals yet."));
  for (const proposal of round.proposals) {
    const author = proposal.party === null ? "Mediator text" : `Proposal by ${partyName(summit, proposal.party)}`;
    const card = h("article", { class: "proposal", "data-proposal": proposal.id, "data-party": proposal.party || "mediator" });
    card.append(h("h4", {}, author, round.settled_by === proposal.id ? h("span", { class: "settled" }, " — ", badge("agreement", "the settlement")) : null));
    if (proposal.sealed) {
      card.append(h("p", {}, badge("sealed", "sealed until the proposals phase closes")));
      section.append(card);
      continue;
    }
    card.append(packageView(proposal.package, summit.issues));
    if (!proposal.complete) card.append(h("p", { class: "muted" }, "Partial package (not open to answers)."));
    if (worth) {
      const value = worth(proposal.package);
      if (value !== null) card.append(h("p", { class: "worth" }, `Worth to you: ${value.toFixed(3)}`));
    }
    if (proposal.rationale) card.append(h("blockquote", { class: "rationale" }, proposal.rationale));
    card.append(checkView(summit, proposal.check, { onlyProblems: true }));
    const answers = round.responses.filter((response) => response.proposal === proposal.id);
    if (answers.length) {
      card.append(h("ul", { class: "responses" }, answers.map((answer) => h("li", { "data-party": answer.party }, partyName(summit, answer.party), ": ", badge(answer.verdict), answer.defaulted ? " (no answer in time)" : null, answer.note ? h("span", { class: "note" }, ` — “${answer.note}”`) : null))));
    }
    if (actions) {
      const controls = actions(proposal);
      if (controls) card.append(controls);
    }
    section.append(card);
  }
  if (round.passes && round.passes.length) {
    section.append(h("p", { class: "passes" }, "Passed: ", round.passes.map((p) => partyName(summit, p.party)).join(", ")));
  }
  return section;
}

/** The concessions made so far. */
export function concessionsView(summit, concessions, redLines = []) {
  if (!concessions.length) return h("p", { class: "muted" }, "No concessions yet.");
  const byId = new Map(redLines.map((rl) => [rl.id, rl]));
  return h(
    "ol",
    { class: "concessions" },
    concessions.map((c) => {
      let what;
      if (c.kind === "red_line") {
        const rl = byId.get(c.red_line) || { party: c.party };
        what = `relaxed ${rl.label ? "“" + rl.label + "”" : "a private red line"}`;
      } else if (c.issue) {
        what = `${c.issue}: ${showValue(c.from)} → ${showValue(c.to)}`;
      } else {
        what = c.kind;
      }
      return h("li", {}, h("strong", {}, partyName(summit, c.party)), c.round ? ` (round ${c.round})` : "", ": ", what, c.note ? h("span", { class: "note" }, ` — “${c.note}”`) : null);
    }),
  );
}

/** The settlement of a concluded summit, if any. */
export function settlementView(summit) {
  if (summit.status !== "concluded") return null;
  return h(
    "section",
    { class: "settlement", "aria-label": "Outcome" },
    h("h2", {}, "Outcome: ", badge(summit.outcome || "aborted")),
    summit.settlement ? packageView(summit.settlement, summit.issues) : h("p", {}, "No package was agreed."),
  );
}
