"""The checker: a package against every active red line of every party.

A ``Checker`` is built once for an agenda and a set of red lines (the service caches it per
summit state) and then checks packages quickly: on full packages, red lines over one or two
small issues are looked up in precomputed tables by C-level ``map`` and ``zip``, the others
run their compiled closures (``service.domain.redline.evaluate``, the one evaluator); partial
packages run the closures alone, three-valued.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from operator import contains

from service.domain.agenda import Agenda, Package
from service.domain.redline.evaluate import CompiledRedLine, Truth, compile_red_line
from service.domain.redline.red_line import RedLine


class Status(StrEnum):
    """The outcome of one red line on one package."""

    SATISFIED = "satisfied"
    VIOLATED = "violated"
    UNDETERMINED = "undetermined"


class Verdict(StrEnum):
    """The outcome of a whole check."""

    CLEAR = "clear"
    VIOLATIONS = "violations"
    UNDETERMINED = "undetermined"


_STATUS = {True: Status.SATISFIED, False: Status.VIOLATED, None: Status.UNDETERMINED}


def verdict_of(*, violated: bool, undetermined: bool) -> Verdict:
    """Return a check's verdict: violations, else undetermined, else clear."""
    if violated:
        return Verdict.VIOLATIONS
    if undetermined:
        return Verdict.UNDETERMINED
    return Verdict.CLEAR


@dataclass(frozen=True, slots=True)
class CheckReport:
    """The outcome of a check: one truth value per red line, in the checker's order."""

    complete: bool
    red_lines: tuple[RedLine, ...]
    outcomes: tuple[Truth, ...]

    @property
    def verdict(self) -> Verdict:
        """Return ``violations`` if any red line fails, else ``undetermined`` if any is open."""
        return verdict_of(violated=False in self.outcomes, undetermined=None in self.outcomes)

    def statuses(self) -> list[tuple[RedLine, Status]]:
        """Pair each red line with its status."""
        return [(rl, _STATUS[o]) for rl, o in zip(self.red_lines, self.outcomes, strict=True)]

    def violated(self, party: str | None = None) -> list[RedLine]:
        """Return the violated red lines, optionally only those of one party."""
        return [
            rl
            for rl, outcome in zip(self.red_lines, self.outcomes, strict=True)
            if outcome is False and (party is None or rl.party == party)
        ]


class Checker:
    """Checks packages against a fixed set of active red lines on one agenda."""

    def __init__(
        self,
        agenda: Agenda,
        red_lines: Iterable[RedLine],
        compiled: Callable[[RedLine], CompiledRedLine] | None = None,
    ) -> None:
        """Compile the active red lines (``compiled`` may give each one's compiled form).

        A red line's tree never changes, so a caller may keep the forms between checkers.
        """
        self.agenda = agenda
        singles: list[tuple[RedLine, CompiledRedLine]] = []
        pairs: list[tuple[RedLine, CompiledRedLine]] = []
        others: list[tuple[RedLine, CompiledRedLine]] = []
        for red_line in red_lines:
            if not red_line.active:
                continue
            if compiled is None:
                form = compile_red_line(red_line.constraint, agenda)
            else:
                form = compiled(red_line)
            if form.table is not None and len(form.issues) == 1:
                singles.append((red_line, form))
            elif form.table is not None:
                pairs.append((red_line, form))
            else:
                others.append((red_line, form))
        ordered = singles + pairs + others
        self.red_lines: tuple[RedLine, ...] = tuple(rl for rl, _ in ordered)
        self._evaluators = [form.evaluate for _, form in ordered]
        self._single_keys = [c.issues[0] for _, c in singles]
        self._single_tables: list[Container[object]] = [_table(c) for _, c in singles]
        self._pair_first = [c.issues[0] for _, c in pairs]
        self._pair_second = [c.issues[1] for _, c in pairs]
        self._pair_tables: list[Container[object]] = [_table(c) for _, c in pairs]
        self._others = [c.evaluate for _, c in others]
        self._issue_count = len(agenda.issues)

    def check(self, package: Package) -> CheckReport:
        """Check a package already validated against the agenda."""
        if len(package) == self._issue_count:
            return CheckReport(True, self.red_lines, self.evaluate_full(package))
        return CheckReport(False, self.red_lines, tuple(f(package) for f in self._evaluators))

    def evaluate_full(self, package: Package) -> tuple[Truth, ...]:
        """Return the truth of every red line on a full package (never None), in checker order."""
        get = package.__getitem__
        outcomes: list[Truth] = list(
            map(contains, self._single_tables, map(get, self._single_keys))
        )
        outcomes.extend(
            map(
                contains,
                self._pair_tables,
                zip(map(get, self._pair_first), map(get, self._pair_second), strict=True),
            )
        )
        outcomes.extend([f(package) for f in self._others])
        return tuple(outcomes)

    def is_clear(self, package: Package) -> bool:
        """Say whether a full package breaks no active red line."""
        return all(self.evaluate_full(package))


def _table(compiled: CompiledRedLine) -> Container[object]:
    assert compiled.table is not None
    return compiled.table


def check_package(agenda: Agenda, red_lines: Sequence[RedLine], package: object) -> CheckReport:
    """Validate ``package`` against the agenda and check it against the active red lines."""
    return Checker(agenda, red_lines).check(agenda.validate_package(package))
