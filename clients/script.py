"""Script files: round by round, what named parties do.

    scenario: teaching-scenario-name      # optional
    rounds:
      - round: 1
        moves:
          - {party: kurds, propose: {issue: value, ...}, rationale: "..."}
          - {party: government, pass: true}
          - {party: russia, relax: "Label of one of its red lines", note: "..."}
          - {party: usa, concede: {issue: oil_fields, from: us_guarded, to: joint_management}}
          - {party: government, accept: kurds, note: "..."}      # the kurds' proposal
          - {party: usa, reject: mediator}

Moves run in the order written. A proposal is named by its author's party key (or
``mediator``). Parties the script does not move in a phase play their strategy there, and
after the last scripted round every party plays its strategy.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from clients.models import Package


class ScriptError(Exception):
    """A script that cannot be read, or a step the server refused (with round and step)."""

    def __init__(self, message: str, *, refused: bool = False) -> None:
        super().__init__(message)
        self.refused = refused


class Move(BaseModel):
    """One step of a script."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    party: str
    propose: Package | None = None
    rationale: str = ""
    pass_: bool = Field(default=False, alias="pass")
    relax: str | None = None
    concede: dict[str, Any] | None = None
    accept: str | None = None
    reject: str | None = None
    note: str = ""

    @model_validator(mode="after")
    def _one_action(self) -> Move:
        actions = [
            self.propose is not None,
            self.pass_,
            self.relax is not None,
            self.concede is not None,
            self.accept is not None,
            self.reject is not None,
        ]
        if sum(actions) != 1:
            raise ValueError(
                "a move does exactly one of: propose, pass, relax, concede, accept, reject"
            )
        return self

    @property
    def kind(self) -> str:
        """What the move does."""
        for name in ("propose", "relax", "concede", "accept", "reject"):
            if getattr(self, name) is not None:
                return name
        return "pass"

    @property
    def is_response(self) -> bool:
        """Whether the move belongs to the responses phase."""
        return self.kind in ("accept", "reject")

    def describe(self) -> str:
        """Return the move in words, for errors and logs."""
        target = {
            "propose": "a package",
            "pass": "",
            "relax": repr(self.relax),
            "concede": str(self.concede),
            "accept": self.accept,
            "reject": self.reject,
        }[self.kind]
        return f"{self.party} {self.kind} {target}".strip()


class ScriptRound(BaseModel):
    """The moves of one round."""

    model_config = ConfigDict(extra="forbid")

    round: int = Field(ge=1)
    moves: list[Move]

    @model_validator(mode="after")
    def _order(self) -> ScriptRound:
        seen_response = False
        for move in self.moves:
            if move.is_response:
                seen_response = True
            elif seen_response:
                raise ValueError("proposal-phase moves must come before accept/reject moves")
        return self


class Script(BaseModel):
    """A whole script."""

    model_config = ConfigDict(extra="forbid")

    scenario: str | None = None
    rounds: list[ScriptRound]
    # Where the script was read from, and its text (to point at lines and columns).
    _source: str = PrivateAttr(default="<script>")
    _text: str = PrivateAttr(default="")

    @property
    def source(self) -> str:
        """The file (or built-in name) the script was read from."""
        return self._source

    @property
    def text(self) -> str:
        """The script's YAML text."""
        return self._text

    @model_validator(mode="after")
    def _increasing(self) -> Script:
        numbers = [r.round for r in self.rounds]
        if numbers != sorted(set(numbers)):
            raise ValueError("rounds must be listed once each, in increasing order")
        return self

    def moves_of(self, round_number: int) -> list[Move]:
        """Return the scripted moves of a round (none if the script skips it)."""
        for scripted in self.rounds:
            if scripted.round == round_number:
                return scripted.moves
        return []


def builtin_scripts() -> list[str]:
    """Names of the example scripts shipped with Parley."""
    folder = files("clients.scripts")
    return sorted(
        e.name.removesuffix(".yaml") for e in folder.iterdir() if e.name.endswith(".yaml")
    )


def load_script(path: str | Path) -> Script:
    """Read and validate a script file (or a built-in script by name), naming every problem."""
    from clients.validation import Locator

    source = Path(path)
    try:
        if not source.exists() and str(path) in builtin_scripts():
            text = files("clients.scripts").joinpath(f"{path}.yaml").read_text(encoding="utf-8")
        else:
            text = source.read_text(encoding="utf-8")
    except FileNotFoundError:
        known = ", ".join(builtin_scripts())
        raise ScriptError(
            f"{source}: no such file or built-in script (built in: {known})"
        ) from None
    except OSError as error:
        raise ScriptError(f"{source}: {error.strerror or error}") from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        place = f":{mark.line + 1}:{mark.column + 1}" if mark is not None else ""
        why = getattr(error, "problem", None) or error
        raise ScriptError(f"{source}{place}: not valid YAML ({why})") from None
    try:
        script = Script.model_validate(raw)
    except ValidationError as error:
        where = Locator(text)
        problems = [
            where.problem(tuple(item["loc"]), str(item["msg"]).removeprefix("Value error, "))
            for item in error.errors()
        ]
        raise ScriptError("\n".join(p.located(str(source)) for p in problems)) from None
    script._source, script._text = str(path), text
    return script
