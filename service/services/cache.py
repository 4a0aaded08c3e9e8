"""The worker's memory of summits: a bounded LRU map and the one summit cache the app owns."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Generic, NamedTuple, TypeVar

from service.db.transaction import Transaction
from service.domain.agenda import Agenda
from service.domain.checker import Checker
from service.domain.concessions import RelaxRule
from service.domain.privacy import ReportWriter, Role
from service.domain.protocol import RoundState
from service.domain.record import ChainedEvent, Verification, verify_chain
from service.domain.redline.evaluate import CompiledRedLine, compile_red_line
from service.domain.redline.red_line import RedLine
from service.domain.replay import Snapshot, replay

V = TypeVar("V")


class LRU(Generic[V]):
    """Keep the ``size`` most recently used values."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_build(self, key: Hashable, build: Callable[[], V]) -> V:
        """Return the cached value for ``key``, building and keeping it when absent."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = build()
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return value

    def get(self, key: Hashable) -> V | None:
        """Return the cached value for ``key``, or None."""
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Hashable, value: V) -> None:
        """Keep ``value`` for ``key``."""
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._items.clear()


@dataclass(frozen=True)
class Compiled:
    """A summit's checker over its active red lines and the writer of its reports."""

    checker: Checker
    reports: ReportWriter


class RedLineExtra(NamedTuple):
    """What the API shows of a red line beyond the domain's: when declared, why relaxed, rule."""

    declared_round: int | None
    relax_note: str | None
    relax: RelaxRule


@dataclass(frozen=True)
class RedLines:
    """Every red line of a summit at one red-line revision, with what only the API shows."""

    all: tuple[RedLine, ...]
    # Each red line's declaration round, relaxation note and relaxation rule, by id.
    extras: dict[int, RedLineExtra]


@dataclass(frozen=True, slots=True)
class ReplayLog:
    """A summit's event log up to its last event, and snapshots replayed from it by seq.

    The log only ever grows, so a snapshot after event S never goes stale: a newer log keeps
    the older one's snapshots. Snapshots are shared between requests and never changed.
    """

    events: tuple[ChainedEvent, ...]
    snapshots: LRU[Snapshot]
    # The chain's verification of exactly these events, once computed (a pure function of
    # them and the recorded head).
    verified: dict[str, Verification] = field(default_factory=dict)

    @property
    def seq(self) -> int:
        """Return the seq of the last event held (0 for none)."""
        return self.events[-1].seq if self.events else 0

    def upto(self, seq: int) -> ReplayLog:
        """Return the log as it stood after event ``seq`` (sharing the snapshots)."""
        if seq >= self.seq:
            return self
        return ReplayLog(tuple(e for e in self.events if e.seq <= seq), self.snapshots)

    def verification(self, head: str) -> Verification:
        """Return the recomputed chain of these events against the recorded ``head``."""
        found = self.verified.get(head)
        if found is None:
            found = self.verified[head] = verify_chain(self.events, expected_last=head)
        return found

    def snapshot(self, until_seq: int | None = None) -> Snapshot:
        """Return the summit replayed to event ``until_seq`` (None: the whole log)."""
        seq = self.seq if until_seq is None else min(until_seq, self.seq)
        return self.snapshots.get_or_build(seq, lambda: replay(self.events, until_seq=seq))


class SummitCache:
    """What a worker remembers of summits between requests: one object, made with the app.

    Every entry is keyed by summit id, so memory is bounded by ``summits`` entries per kind
    whatever the number of red-line revisions; the tag stored beside a value says which
    state of the summit it describes, and a value is used only when its tag matches what the
    request read from the summit's row in its own transaction (so every worker on every host
    sees a change at once). The invalidation keys, all of them:

    - agenda, parties: none (a summit's agenda and parties never change);
    - red lines, compiled checker: the summit's ``red_lines_rev``;
    - round state: the summit's ``last_seq`` (every move appends an event);
    - replayed event log: the summit's ``last_seq``; on a newer one only the events after
      the kept log's last are read (snapshots by seq stay valid: the log is append-only);
    - credentials: none (a credential never changes; unknown selectors are never cached).
    """

    def __init__(
        self,
        summits: int = 1024,
        credentials: int = 20_000,
        replays: int = 16,
        snapshots: int = 32,
    ) -> None:
        self.agendas: LRU[Agenda] = LRU(summits)
        self.parties: LRU[tuple[tuple[str, str], ...]] = LRU(summits)
        self.red_lines: LRU[tuple[int, RedLines]] = LRU(summits)
        self.compiled: LRU[tuple[int, Compiled]] = LRU(summits)
        # Each red line's compiled form by id (a red line's tree never changes), so a new
        # revision compiles only its new red lines.
        self.forms: LRU[dict[int, CompiledRedLine]] = LRU(summits)
        self.round_states: LRU[tuple[int, RoundState]] = LRU(summits)
        self.credentials: LRU[Credential] = LRU(credentials)
        # Event logs of the summits under review, each with up to ``snapshots`` replays
        # (a 30-round summit's every round end fits). Measured on a 30-round syria-2016
        # summit (607 events): 1.3 MiB of events and 0.1 MiB a snapshot, so about 4.3 MiB
        # a summit at most, 70 MiB for 16 summits.
        self.replays: LRU[ReplayLog] = LRU(replays)
        self._snapshots = snapshots

    def tagged(self, kind: LRU[tuple[int, V]], summit_id: str, tag: int) -> V | None:
        """Return the value of ``summit_id`` in ``kind`` when it was kept at ``tag``."""
        found = kind.get(summit_id)
        return found[1] if found is not None and found[0] == tag else None

    def compiled_for(
        self, summit_id: str, rev: int, agenda: Agenda, red_lines: RedLines
    ) -> Compiled:
        """Return the summit's compiled red lines at revision ``rev``, compiling on a miss."""
        found = self.tagged(self.compiled, summit_id, rev)
        if found is None:
            forms = self.forms.get(summit_id)
            if forms is None:
                forms = {}
                self.forms.put(summit_id, forms)

            def form(red_line: RedLine) -> CompiledRedLine:
                kept = forms.get(red_line.id)
                if kept is None:
                    kept = forms[red_line.id] = compile_red_line(red_line.constraint, agenda)
                return kept

            checker = Checker(agenda, red_lines.all, form)
            found = Compiled(checker, ReportWriter(agenda, red_lines.all, checker.red_lines))
            self.compiled.put(summit_id, (rev, found))
        return found

    def replay_log(
        self, summit_id: str, seq: int, read_after: Callable[[int], Sequence[ChainedEvent]]
    ) -> ReplayLog:
        """Return the summit's event log up to event ``seq``, the one the request's row says.

        ``read_after(s)`` reads the events after seq ``s`` from the database: on a miss the
        whole log, on a kept older log only what was appended since.
        """
        kept = self.replays.get(summit_id)
        if kept is not None and kept.seq >= seq:
            return kept.upto(seq)
        events = kept.events if kept is not None else ()
        snapshots = kept.snapshots if kept is not None else LRU[Snapshot](self._snapshots)
        log = ReplayLog(events + tuple(read_after(events[-1].seq if events else 0)), snapshots)
        self.replays.put(summit_id, log)
        return log.upto(seq)


class Credential(NamedTuple):
    """What a stored credential says; credentials never change, so they are cached."""

    summit_id: str
    role: Role
    party: str | None
    secret_hash: str


_CACHE = "parley_summit_cache"


def use_cache(tx: Transaction, cache: SummitCache) -> Transaction:
    """Give the services running in the transaction ``tx`` the app's summit cache."""
    tx.info[_CACHE] = cache
    return tx


def cache_of(tx: Transaction) -> SummitCache:
    """Return the summit cache the transaction was given (see ``use_cache``)."""
    cache: SummitCache | None = tx.info.get(_CACHE)
    if cache is None:
        raise RuntimeError("this transaction was opened without the app's summit cache")
    return cache
