"""The learning path for one person: their stage, read from and kept in the journal."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ontspan import library
from ontspan.core.errors import OntspanError
from ontspan.core.i18n import _
from ontspan.core.path import Practised, Stage, StageTime, Standing, move, standing, time_per_stage
from ontspan.store.journal import Journal


def current(journal: Journal, today: date, done: list[Practised] | None = None) -> Standing:
    return standing(library.learning_path(), journal.path_state(),
                    journal.practised() if done is None else done, today)


def find_stage(ref: str) -> Stage:
    path = library.learning_path()
    stage = path.find(ref)
    if stage is None:
        known = ", ".join(f"{s.number} {s.id}" for s in path.stages)
        raise OntspanError(_("--set: there is no stage {ref}; choose one of: {known}",
                             ref=repr(ref), known=known))
    return stage


def set_stage(journal: Journal, stage: Stage, now: datetime) -> Standing:
    """Move to `stage` by hand (a person or their therapist), forward or back."""
    before = current(journal, now.date())
    met = before.started and before.progress.met
    journal.save_path_state(move(journal.path_state(), stage, now, met))
    return current(journal, now.date())


def step(journal: Journal, forward: bool, now: datetime) -> Standing:
    path = library.learning_path()
    here = current(journal, now.date())
    if not here.started:
        return set_stage(journal, path.stages[0], now)
    target = path.after(here.stage) if forward else path.before(here.stage)
    if target is None:
        raise OntspanError("--next: this is the last stage" if forward else
                           "--back: this is the first stage")
    return set_stage(journal, target, now)


def leave(journal: Journal) -> None:
    journal.save_path_state(None)


def times(journal: Journal, done: list[Practised] | None = None) -> tuple[StageTime, ...]:
    return time_per_stage(library.learning_path(), journal.practised() if done is None else done)


def to_json(here: Standing, lang: str) -> dict[str, Any]:
    path = library.learning_path()
    return {
        "stage": here.stage.id,
        "started": here.started,
        "since": here.since.isoformat(timespec="seconds") if here.since else None,
        "stages": [{"id": s.id, "number": s.number, "name": s.name(lang),
                    "routines": list(s.routines), "met": met}
                   for s, met in zip(path.stages, here.met, strict=True)],
        "next": here.offered.id if here.offered else None,
        "following": here.following.id if here.following else None,
        "criterion": here.progress.to_dict(),
        "practise": here.stage.practise(lang),
        "per_day": here.stage.per_day,
        "length_s": list(here.stage.length_s),
    }
