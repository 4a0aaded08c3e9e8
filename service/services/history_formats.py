"""The history document rendered as CSV (one row per move) or Markdown (a readable report).

Both are for people: a package is spread over one CSV column per issue, numbers are rounded,
and a relaxed red line is named by its label wherever the reader may see it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from typing import Any

from pydantic import TypeAdapter

from service.services.results.records import HistoryRead

MOVE_COLUMNS = ["round", "kind", "party", "proposal", "red_line", "verdict", "complete", "check"]
TAIL_COLUMNS = ["issue", "from", "to", "utility_change", "note", "at"]
_HISTORY = TypeAdapter(HistoryRead)
# Utilities and their changes are shown to this many decimals.
DECIMALS = 3


def _value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{round(value, DECIMALS):g}"
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    return str(value)


def _labels(history: Mapping[str, Any]) -> dict[int, str]:
    """Red-line ids to the labels the reader may see."""
    return {rl["id"]: rl["label"] for rl in history.get("red_lines", []) if rl.get("label")}


def _red_line_name(red_line: int | None, labels: Mapping[int, str]) -> str:
    if red_line is None:
        return ""
    label = labels.get(red_line)
    return f"“{label}”" if label else f"a private red line (#{red_line})"


def _moves(history: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    labels = _labels(history)
    for rnd in history["rounds"]:
        number = rnd["number"]
        for p in rnd["proposals"]:
            yield {
                "round": number,
                "kind": "mediator_text" if p["party"] is None else "proposal",
                "party": p["party"],
                "proposal": p["id"],
                "complete": p.get("complete"),
                "check": p["check"]["verdict"] if "check" in p else "sealed",
                "package": p.get("package"),
                "note": p.get("rationale"),
                "at": p.get("created_at"),
            }
        for s in rnd["passes"]:
            yield {"round": number, "kind": "pass", "party": s["party"], "at": s["created_at"]}
        for r in rnd["responses"]:
            yield {
                "round": number,
                "kind": "response",
                "party": r["party"],
                "proposal": r["proposal"],
                "verdict": r["verdict"] + (" (deadline)" if r["defaulted"] else ""),
                "note": r["note"],
                "at": r["created_at"],
            }
        for c in rnd["concessions"]:
            yield _concession_row(c, labels)
    summit = history["summit"]
    if summit["status"] == "concluded":
        yield {
            "round": summit["rounds_played"],
            "kind": "outcome",
            "verdict": summit["outcome"],
            "proposal": summit.get("settlement_proposal"),
            "package": summit["settlement"],
            "at": summit["concluded_at"],
        }


def _concession_row(c: Mapping[str, Any], labels: Mapping[int, str]) -> dict[str, Any]:
    note = c.get("note") or ""
    if c.get("red_line") is not None:
        named = _red_line_name(c["red_line"], labels)
        note = f"relaxed {named}" + (f": {note}" if note else "")
    return {
        "round": c["round"],
        "kind": f"concession:{c['kind']}",
        "party": c["party"],
        "proposal": c.get("proposal"),
        "red_line": c.get("red_line"),
        "issue": c.get("issue"),
        "from": c.get("from"),
        "to": c.get("to"),
        "utility_change": c.get("utility_change"),
        "note": note,
        "at": c["created_at"],
    }


def issue_columns(history: Mapping[str, Any]) -> dict[str, str]:
    """Return the CSV column of each issue: its key (``package.KEY`` if a move's column)."""
    fixed = {*MOVE_COLUMNS, *TAIL_COLUMNS}
    keys = [str(issue["key"]) for issue in history["summit"]["issues"]]
    return {key: key if key not in fixed else f"package.{key}" for key in keys}


def _document(history: HistoryRead) -> dict[str, Any]:
    """Return the history as its JSON answer reads (what the formats below lay out)."""
    document: dict[str, Any] = _HISTORY.dump_python(history, mode="json", by_alias=True)
    return document


def history_csv(read: HistoryRead) -> str:
    """Return one CSV row per move (proposal, pass, response, concession, outcome)."""
    history = _document(read)
    issues = issue_columns(history)
    columns = [*MOVE_COLUMNS, *issues.values(), *TAIL_COLUMNS]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for move in _moves(history):
        row = {column: _value(move.get(column)) for column in (*MOVE_COLUMNS, *TAIL_COLUMNS)}
        package = move.get("package") or {}
        for key, column in issues.items():
            row[column] = _value(package.get(key))
        writer.writerow(row)
    return out.getvalue()


def _cell(value: Any) -> str:
    return _value(value).replace("|", "\\|").replace("\n", " ")


def _package(package: Mapping[str, Any] | None) -> str:
    if not package:
        return ""
    return ", ".join(f"{key}={_value(value)}" for key, value in package.items())


def history_markdown(read: HistoryRead) -> str:
    """Return the history as a Markdown report for readers of the negotiation."""
    history = _document(read)
    summit = history["summit"]
    lines = [f"# {summit['title']}", ""]
    status = summit["status"] + (f" — {summit['outcome']}" if summit["outcome"] else "")
    lines += [f"Summit `{summit['id']}`: {status}; {summit['rounds_played']} round(s) played.", ""]
    lines += ["## Agenda", "", "| issue | kind | domain |", "|---|---|---|"]
    for issue in summit["issues"]:
        if issue["kind"] == "options":
            domain = " < ".join(issue["options"])
        elif issue["kind"] == "integer":
            domain = f"{issue['min']}..{issue['max']}"
        else:
            domain = "true / false"
        lines.append(f"| {issue['key']} | {issue['kind']} | {_cell(domain)} |")
    lines += ["", "## Parties", ""]
    lines += [f"- **{p['key']}**: {p['name']}" for p in summit["parties"]]
    if summit["settlement"]:
        lines += ["", "## Settlement", "", "| issue | value |", "|---|---|"]
        lines += [f"| {k} | {_cell(v)} |" for k, v in summit["settlement"].items()]
    lines += ["", "## Rounds"]
    for rnd in history["rounds"]:
        lines += _round_markdown(rnd, _labels(history), _names(history))
    lines += ["", "## Concession ledger"]
    labels = _labels(history)
    names = _names(history)
    for party, entry in history["ledger"].items():
        lines += ["", f"### {names.get(party, party)} ({entry['count']})", ""]
        if not entry["concessions"]:
            lines.append("No concessions.")
        for c in entry["concessions"]:
            lines.append("- " + _concession_text(c, labels))
    record = history["record"]
    lines += ["", "## Record", "", f"{record['events']} events; chain head `{record['head']}`.", ""]
    return "\n".join(lines)


def _names(history: Mapping[str, Any]) -> dict[str, str]:
    """Party keys to names."""
    return {p["key"]: p["name"] for p in history["summit"]["parties"]}


def _round_markdown(
    rnd: Mapping[str, Any], labels: Mapping[int, str], names: Mapping[str, str]
) -> list[str]:
    lines = ["", f"### Round {rnd['number']} ({rnd['phase']})", ""]
    if rnd["proposals"]:
        lines += ["| proposal | party | package | check | rationale |", "|---|---|---|---|---|"]
        for p in rnd["proposals"]:
            who = names.get(p["party"], p["party"]) if p["party"] else "mediator"
            if p.get("sealed"):
                lines.append(f"| {p['id']} | {who} | (sealed) | | |")
                continue
            lines.append(
                f"| {p['id']} | {who} | {_cell(_package(p['package']))} | "
                f"{p['check']['verdict']} | {_cell(p['rationale'])} |"
            )
    passed = [
        names.get(s["party"], s["party"]) if s["party"] else "convener" for s in rnd["passes"]
    ]
    if passed:
        lines += ["", "Passed: " + ", ".join(passed)]
    if rnd["responses"]:
        lines += ["", "| proposal | party | verdict | note |", "|---|---|---|---|"]
        for r in rnd["responses"]:
            verdict = r["verdict"] + (" (deadline)" if r["defaulted"] else "")
            who = names.get(r["party"], r["party"])
            lines.append(f"| {r['proposal']} | {who} | {verdict} | {_cell(r['note'])} |")
    if rnd["concessions"]:
        lines += ["", "Concessions:"]
        lines += ["- " + _concession_text(c, labels) for c in rnd["concessions"]]
    if rnd.get("settled_by"):
        author = next((p["party"] for p in rnd["proposals"] if p["id"] == rnd["settled_by"]), None)
        whose = f"tabled by {names.get(author, author)}" if author else "the mediator's text"
        lines += ["", f"**Settled by proposal {rnd['settled_by']}, {whose}.**"]
    return lines


def _concession_text(c: Mapping[str, Any], labels: Mapping[int, str]) -> str:
    where = f"round {c['round']}" if c["round"] is not None else "before the rounds"
    who = c["party"]
    if c["kind"] == "red_line":
        text = f"{who} relaxed {_red_line_name(c['red_line'], labels)} ({where})"
    else:
        text = (
            f"{who} moved {c['issue']} from {_value(c['from'])} to {_value(c['to'])} "
            f"({c['kind']}, {where})"
        )
    if c.get("utility_change") is not None:
        text += f", own utility {round(c['utility_change'], DECIMALS):+g}"
    if c.get("note"):
        text += f": {c['note']}"
    return text
