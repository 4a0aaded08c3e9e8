// Building the DOM from data. Every piece of text goes in through text nodes or
// setAttribute, never through innerHTML: a label such as <img src=x onerror=...> stays text.

/** Create an element: h("p", {class: "x"}, "text", child, [more children]). */
export function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = String(value);
    else if (key.startsWith("on") && typeof value === "function") {
      node.addEventListener(key.slice(2), value);
    } else if (key === "value") node.value = value;
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  append(node, children);
  return node;
}

function nodes(children) {
  const out = [];
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    out.push(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return out;
}

/** Append children (nodes or text) to a node. */
export function append(node, ...children) {
  node.append(...nodes(children));
  return node;
}

/** Replace a node's children. */
export function fill(node, ...children) {
  node.replaceChildren(...nodes(children));
  return node;
}

/** Return the element with this id (throws when the page lacks it). */
export function byId(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the page has no #${id}`);
  return node;
}

const STATUS = {
  satisfied: ["✓", "satisfied"],
  violated: ["✗", "violated"],
  undetermined: ["?", "undetermined"],
  clear: ["✓", "clear"],
  violations: ["✗", "breaks a red line"],
  accept: ["✓", "accept"],
  reject: ["✗", "reject"],
  active: ["●", "active"],
  relaxed: ["○", "relaxed"],
  agreement: ["✓", "agreement"],
  no_agreement: ["✗", "no agreement"],
  aborted: ["■", "aborted"],
  sealed: ["🔒", "sealed"],
};

/** A status shown by an icon and a word, never by colour alone. */
export function badge(status, text) {
  const [icon, word] = STATUS[status] || ["•", String(status)];
  return h(
    "span",
    { class: `badge badge-${String(status).replace(/[^a-z_]/g, "")}` },
    h("span", { class: "icon", "aria-hidden": "true" }, icon),
    " ",
    text || word,
  );
}

/** A value of an issue as a person reads it. */
export function showValue(value) {
  if (value === true) return "yes";
  if (value === false) return "no";
  return String(value);
}

/** A package as a definition list, in agenda order. */
export function packageView(pkg, issues) {
  const list = h("dl", { class: "package" });
  for (const issue of issues) {
    if (!(issue.key in pkg)) continue;
    list.append(
      h("dt", {}, issue.title || issue.key),
      h("dd", {}, showValue(pkg[issue.key])),
    );
  }
  if (!list.childElementCount) list.append(h("dd", { class: "muted" }, "(empty package)"));
  return list;
}

/** Minutes and seconds left until an ISO time, or "" when there is none. */
export function timeLeft(deadline) {
  if (!deadline) return "";
  const ms = Date.parse(deadline) - Date.now();
  if (ms <= 0) return "time is up";
  const seconds = Math.ceil(ms / 1000);
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${String(seconds % 60).padStart(2, "0")} left`;
}

/**
 * Redraw part of a page without losing what the person was doing there: the text typed in
 * inputs that carry an id comes back, and so does the focus.
 */
export function redraw(container, draw) {
  const focused = document.activeElement && container.contains(document.activeElement) ? document.activeElement.id : null;
  const drafts = new Map();
  for (const input of container.querySelectorAll("input[id], textarea[id]")) {
    if (input.type !== "checkbox" && input.value) drafts.set(input.id, input.value);
  }
  fill(container, draw());
  for (const [id, value] of drafts) {
    const input = document.getElementById(id);
    if (input && container.contains(input) && !input.value) input.value = value;
  }
  if (focused) {
    const again = document.getElementById(focused);
    if (again) again.focus();
  }
}
