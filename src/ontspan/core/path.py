"""The learning path: stages from sixteen groups to rapid relaxation, and when to move on.

Pure: the stages come parsed from data/path.yaml, the sessions from the journal, the date
from the caller. Whether a stage's criterion is met is a plain count a person can check:
enough sessions, over at least a week, most recent ones ending relaxed with a clear drop.
Moving on is offered, never imposed; a person or their therapist moves by hand."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from typing import Any, NamedTuple

from ontspan.core.catalogue import Text, text_field
from ontspan.core.yamlsrc import Located


@dataclass(frozen=True)
class Criterion:
    sessions: int = 10
    days: int = 7
    recent: int = 5
    relaxed: int = 3
    after_max: int = 3
    drop_min: int = 2


@dataclass(frozen=True)
class Stage:
    id: str
    number: int
    name: Text
    routines: tuple[str, ...]
    practise: Text
    per_day: int
    length_s: tuple[int, int]  # what a session aims at, shortest and longest
    criterion: Criterion | None  # None: the last stage, nothing to move on to


@dataclass(frozen=True)
class LearningPath:
    stages: tuple[Stage, ...]

    def find(self, ref: str) -> Stage | None:
        """A stage by id or by its number (1-based)."""
        for stage in self.stages:
            if ref in (stage.id, str(stage.number)):
                return stage
        return None

    def after(self, stage: Stage) -> Stage | None:
        return self.stages[stage.number] if stage.number < len(self.stages) else None

    def before(self, stage: Stage) -> Stage | None:
        return self.stages[stage.number - 2] if stage.number > 1 else None

    def stage_of(self, routine: str) -> Stage | None:
        """The first stage that practises this routine."""
        return next((s for s in self.stages if routine in s.routines), None)


@dataclass(frozen=True)
class Move:
    """One change of stage, kept so a therapist can see how the path went."""

    at: datetime
    stage: str
    met: bool  # the criterion of the stage left was met at that moment


@dataclass(frozen=True)
class PathState:
    """Where a person is on the path; stored in the journal (Journal.path_state)."""

    stage: str
    since: datetime
    moves: tuple[Move, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"stage": self.stage, "since": self.since.isoformat(timespec="seconds"),
                "moves": [{"at": m.at.isoformat(timespec="seconds"), "stage": m.stage,
                           "met": m.met} for m in self.moves]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PathState:
        return cls(str(data["stage"]), datetime.fromisoformat(data["since"]),
                   tuple(Move(datetime.fromisoformat(m["at"]), str(m["stage"]), bool(m["met"]))
                         for m in data.get("moves", ())))


class Practised(NamedTuple):
    """What the path (and the insight) needs to know of one journal session. A named tuple:
    five years of sessions are made in a blink, where frozen dataclasses take a while."""

    started_at: datetime
    routine: str
    completed: bool
    tension_before: int | None = None
    tension_after: int | None = None
    practiced_ms: int = 0

    @property
    def rated(self) -> bool:
        return self.tension_before is not None and self.tension_after is not None


@dataclass(frozen=True)
class Progress:
    """How far a stage's criterion is met, in numbers a person can check."""

    criterion: Criterion | None
    sessions: int
    days: int
    rated: int  # rated sessions among the recent ones looked at
    relaxed: int
    met: bool

    def to_dict(self) -> dict[str, Any]:
        c = self.criterion
        return {
            "met": self.met, "sessions": self.sessions, "days": self.days,
            "relaxed": self.relaxed, "rated": self.rated,
            "needed": None if c is None else {
                "sessions": c.sessions, "days": c.days, "relaxed": c.relaxed,
                "of_recent": c.recent, "tension_after_at_most": c.after_max,
                "drop_at_least": c.drop_min},
        }


def relaxed(session: Practised, criterion: Criterion) -> bool:
    if session.tension_before is None or session.tension_after is None:
        return False
    return (session.tension_after <= criterion.after_max
            and session.tension_before - session.tension_after >= criterion.drop_min)


def progress(stage: Stage, sessions: Sequence[Practised], since: datetime | None,
             today: date) -> Progress:
    """The criterion of one stage over its sessions since `since` (all, when None).

    Days count from the stage's start (or its first session) to today."""
    mine = sorted((s for s in sessions if s.completed and s.routine in stage.routines
                   and (since is None or s.started_at >= since)), key=lambda s: s.started_at)
    start = since.date() if since is not None else mine[0].started_at.date() if mine else today
    days = max(0, (today - start).days)
    c = stage.criterion
    if c is None:
        return Progress(None, len(mine), days, 0, 0, False)
    recent = [s for s in mine if s.rated][-c.recent:]
    calm = sum(1 for s in recent if relaxed(s, c))
    met = len(mine) >= c.sessions and days >= c.days and calm >= c.relaxed
    return Progress(c, len(mine), days, len(recent), calm, met)


@dataclass(frozen=True)
class Standing:
    """Where a person stands: the stage, its progress, what is offered next."""

    stage: Stage
    started: bool  # False: not on the path yet; `stage` is where it would begin
    since: datetime | None
    progress: Progress
    following: Stage | None  # the stage after this one
    offered: Stage | None  # the next stage, offered because the criterion is met
    met: tuple[bool | None, ...]  # per stage: its criterion met by the journal (None: last)


def standing(path: LearningPath, state: PathState | None, sessions: Sequence[Practised],
             today: date) -> Standing:
    current = (path.find(state.stage) if state is not None else None) or path.stages[0]
    since = state.since if state is not None else None
    prog = progress(current, sessions, since, today)
    following = path.after(current)
    met: list[bool | None] = []
    for stage in path.stages:
        if stage.criterion is None:
            met.append(None)
        elif stage is current:
            met.append(prog.met)
        else:
            met.append(progress(stage, sessions, None, today).met)
    return Standing(current, state is not None, since, prog, following,
                    following if prog.met and state is not None else None, tuple(met))


def move(state: PathState | None, target: Stage, now: datetime, met: bool) -> PathState:
    """A new state on `target`; the move is kept. Moving to the same stage restarts it."""
    moves = state.moves if state is not None else ()
    return PathState(target.id, now, (*moves, Move(now, target.id, met)))


@dataclass(frozen=True)
class StageTime:
    stage: Stage
    sessions: int
    minutes: float  # median practised minutes per completed session


def time_per_stage(path: LearningPath, sessions: Sequence[Practised]) -> tuple[StageTime, ...]:
    """How long a session took at each stage practised: it should shrink along the path."""
    # One pass over the sessions (years of them), each routine's stage looked up once.
    stage_of: dict[str, Stage | None] = {}
    by_stage: dict[int, list[int]] = {}
    for s in sessions:
        if not (s.completed and s.practiced_ms > 0):
            continue
        if s.routine not in stage_of:
            stage_of[s.routine] = path.stage_of(s.routine)
        found = stage_of[s.routine]
        if found is not None:
            by_stage.setdefault(found.number, []).append(s.practiced_ms)
    out: list[StageTime] = []
    for stage in path.stages:
        if stage.criterion is None and stage.routines == path.stages[stage.number - 2].routines:
            continue  # the last stage practises the same routine as the one before
        lengths = sorted(by_stage.get(stage.number, ()))
        if lengths:
            n = len(lengths)
            middle = (lengths[(n - 1) // 2] + lengths[n // 2]) / 2
            out.append(StageTime(stage, n, middle / 60_000))
    return tuple(out)


# ---- Parsing data/path.yaml ------------------------------------------------------------

CRITERION_KEYS = {f.name for f in fields(Criterion)}
STAGE_KEYS = {"id", "name", "routines", "per_day", "length", "practise", "criterion"}


def _criterion(doc: Located, path: tuple[str | int, ...], raw: Any,
               base: Criterion) -> Criterion:
    if not isinstance(raw, dict):
        raise doc.error(path, "expected a mapping such as {sessions: 10, days: 7}")
    for key, value in raw.items():
        if key not in CRITERION_KEYS:
            raise doc.error((*path, key), f"unknown field; known: {', '.join(sorted(CRITERION_KEYS))}")
        high = 10 if key in ("after_max", "drop_min") else 1000
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= high:
            raise doc.error((*path, key), f"expected a whole number 0-{high}")
    crit = replace(base, **raw)
    if crit.relaxed > crit.recent:
        raise doc.error((*path, "relaxed"), "cannot be more than 'recent'")
    return crit


def parse_path(doc: Located, routine_ids: Collection[str], langs: tuple[str, ...]) -> LearningPath:
    data = doc.value
    if not isinstance(data, dict) or not isinstance(data.get("stages"), list):
        raise doc.error((), "expected 'criterion' and a list of 'stages'")
    base = _criterion(doc, ("criterion",), data.get("criterion", {}), Criterion())
    stages: list[Stage] = []
    for i, item in enumerate(data["stages"]):
        where: tuple[str | int, ...] = ("stages", i)
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise doc.error((*where, "id"), "every stage needs an id")
        extra = sorted(set(item) - STAGE_KEYS)
        if extra:
            raise doc.error((*where, extra[0]), f"unknown field; known: {', '.join(sorted(STAGE_KEYS))}")
        if any(s.id == item["id"] or str(s.number) == item["id"] for s in stages):
            raise doc.error((*where, "id"), f"duplicate stage {item['id']!r}")
        routines = item.get("routines")
        if not isinstance(routines, list) or not routines:
            raise doc.error((*where, "routines"), "expected a list of routine names")
        for j, name in enumerate(routines):
            if name not in routine_ids:
                raise doc.error((*where, "routines", j), f"unknown routine {name!r}")
        per_day = item.get("per_day", 1)
        if isinstance(per_day, bool) or not isinstance(per_day, int) or not 1 <= per_day <= 30:
            raise doc.error((*where, "per_day"), "expected a whole number of sessions 1-30")
        length = item.get("length")
        if (not isinstance(length, list) or len(length) != 2
                or not all(isinstance(x, int) and not isinstance(x, bool) for x in length)
                or not 0 < length[0] <= length[1]):
            raise doc.error((*where, "length"), "expected [shortest, longest] in seconds")
        last = i == len(data["stages"]) - 1
        raw_crit = item.get("criterion", {})
        if raw_crit is None and not last:
            raise doc.error((*where, "criterion"), "only the last stage has no criterion")
        stages.append(Stage(
            id=item["id"], number=i + 1,
            name=text_field(doc, (*where, "name"), item.get("name"), langs),
            routines=tuple(routines),
            practise=text_field(doc, (*where, "practise"), item.get("practise"), langs),
            per_day=per_day, length_s=(length[0], length[1]),
            criterion=None if raw_crit is None else _criterion(doc, (*where, "criterion"),
                                                               raw_crit, base),
        ))
    if not stages:
        raise doc.error(("stages",), "expected at least one stage")
    return LearningPath(tuple(stages))

