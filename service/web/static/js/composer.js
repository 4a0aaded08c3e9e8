// Composing a package: one control per issue (options, integer, boolean), partial or full,
// each with a pin that repair must keep. It keeps what the person typed across redraws.

import { h } from "./dom.js";

const UNSET = "";

function control(issue) {
  const id = `pick-${issue.key}`;
  const described = issue.description ? `about-${issue.key}` : null;
  if (issue.kind === "integer") {
    return h("input", {
      id,
      type: "number",
      inputmode: "numeric",
      min: issue.min,
      max: issue.max,
      step: 1,
      placeholder: `not set (${issue.min}–${issue.max})`,
      "aria-describedby": described,
      "data-issue": issue.key,
    });
  }
  const choices = issue.kind === "boolean"
    ? [["true", "yes"], ["false", "no"]]
    : issue.options.map((option) => {
        const about = issue.option_descriptions && issue.option_descriptions[option];
        return [option, about ? `${option} — ${about}` : option];
      });
  return h(
    "select",
    { id, "aria-describedby": described, "data-issue": issue.key },
    h("option", { value: UNSET }, "— not set —"),
    choices.map(([value, text]) => h("option", { value }, text)),
  );
}

/** Build the composer's controls for an agenda; onChange runs after every edit. */
export function makeComposer(issues, onChange) {
  const controls = new Map();
  const pins = new Map();
  const rows = issues.map((issue) => {
    const input = control(issue);
    input.addEventListener("input", onChange);
    input.addEventListener("change", onChange);
    const pin = h("input", { type: "checkbox", id: `pin-${issue.key}`, "data-pin": issue.key });
    controls.set(issue.key, input);
    pins.set(issue.key, pin);
    return h(
      "div",
      { class: "issue-row" },
      h("label", { for: input.id, class: "issue-title" }, issue.title || issue.key),
      input,
      h("label", { class: "pin" }, pin, " keep when repairing"),
    );
  });

  function read(issue) {
    const raw = controls.get(issue.key).value;
    if (raw === UNSET) return undefined;
    if (issue.kind === "integer") return Number.isInteger(Number(raw)) ? Number(raw) : raw;
    if (issue.kind === "boolean") return raw === "true";
    return raw;
  }

  return {
    rows,
    /** The package as composed: only the issues that are set. */
    package() {
      const out = {};
      for (const issue of issues) {
        const value = read(issue);
        if (value !== undefined) out[issue.key] = value;
      }
      return out;
    },
    /** The issues pinned for repair (only those that are set). */
    pinned() {
      const pkg = this.package();
      return issues.filter((issue) => pins.get(issue.key).checked && issue.key in pkg).map((issue) => issue.key);
    },
    /** Put a package into the controls. */
    set(pkg) {
      for (const issue of issues) {
        const input = controls.get(issue.key);
        input.value = issue.key in pkg ? String(pkg[issue.key]) : UNSET;
      }
      onChange();
    },
  };
}
