// The landing page: the summits on this server, each with its board.

import { makeApi, path } from "./api.js";
import { badge, byId, fill, h } from "./dom.js";
import { items, notifier } from "./page.js";

const notices = notifier(byId("notices"));

async function show() {
  try {
    const page = await makeApi().get("/summits?limit=100");
    const summits = items(page);
    fill(
      byId("summits"),
      summits.length
        ? summits.map((s) => h("li", {}, h("a", { href: path("board", s.id) }, s.title), " — ", s.status, s.outcome ? [" ", badge(s.outcome)] : null, s.round ? ` (round ${s.round.number}, ${s.round.phase})` : ""))
        : h("li", { class: "muted" }, "No summits yet."),
    );
  } catch (error) {
    notices.error(error);
  }
  document.body.dataset.ready = "true";
}

show();
