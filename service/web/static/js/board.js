// The board for the room: what an anonymous reader may see, large enough to project.

import { byId, fill } from "./dom.js";
import { loadTable, runPage } from "./page.js";
import { concessionsView, redLineView, roundView, settlementView, statusLine, tickCountdowns } from "./views.js";

function render({ summit, rounds, redLines, concessions }) {
  document.title = `Board — ${summit.title}`;
  fill(byId("title"), summit.title);
  fill(byId("status"), statusLine(summit));
  fill(byId("outcome"), settlementView(summit));
  fill(byId("rounds"), rounds.map((round) => roundView(summit, round)));
  fill(byId("red-lines"), redLines.map((rl) => redLineView(summit, rl)));
  fill(byId("concessions"), concessionsView(summit, concessions, redLines));
}

runPage({ load: loadTable, render, tick: tickCountdowns });
