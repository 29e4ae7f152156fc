"""The built-in routines follow the reference text; bad routine files are named precisely."""

from __future__ import annotations

from pathlib import Path

import pytest

from ontspan import library
from ontspan.core.errors import SourceError
from ontspan.services.sessions import compose


def ids(name: str, **prefs: object) -> list[str]:
    routine = library.find(name)
    tl = compose(routine, dict(prefs), measure=False).timeline
    return [g.id for g in tl.groups]


def test_standaard_goes_from_feet_to_face() -> None:
    assert ids("standaard") == [
        "feet-lower-legs", "thighs-buttocks", "belly", "shoulders", "hands-forearms", "face"
    ]


def test_volledig_is_the_sixteen_groups_dominant_side_first() -> None:
    right = ids("volledig")
    assert len(right) == 16
    assert right[:4] == ["hand-forearm-right", "upper-arm-right", "hand-forearm-left",
                         "upper-arm-left"]
    assert right[-6:] == ["thigh-right", "calf-right", "foot-right",
                          "thigh-left", "calf-left", "foot-left"]
    left = ids("volledig", dominant="left")
    assert left[0] == "hand-forearm-left" and left[-1] == "foot-right"


def test_the_foot_has_its_own_movement_and_never_curls() -> None:
    tl = compose(library.find("volledig"), {"lang": "en"}, measure=False).timeline
    foot = next(g for g in tl.groups if g.id == "foot-right")
    calf = next(g for g in tl.groups if g.id == "calf-right")
    assert "spread the toes" in foot.instruction and "curl" not in foot.instruction
    assert "towards you" in calf.instruction and "towards you" not in foot.instruction


def test_reductions() -> None:
    assert ids("zeven") == ["arm-right", "arm-left", "face", "neck", "trunk", "leg-right",
                            "leg-left"]
    # Bernstein & Borkovec's four: arms; face and neck; chest, shoulders, back and belly;
    # legs and feet.
    assert ids("vier") == ["arms", "face-neck", "trunk", "legs"]
    cat = library.catalogue()
    assert {"hands", "upper-arms"} <= set(cat["arms"].areas)
    assert {"face", "neck"} <= set(cat["face-neck"].areas)
    assert {"chest", "shoulders", "upper-back", "belly"} <= set(cat["trunk"].areas)
    assert {"feet", "thighs"} <= set(cat["legs"].areas)


def test_bed_is_short_and_fades_into_silence() -> None:
    routine = library.find("bed")
    tl = compose(routine, {"lang": "nl"}, measure=False).timeline
    assert [g.id for g in tl.groups] == ["legs", "shoulders", "face"]
    texts = " ".join(c.text for c in tl.cues).lower()
    assert "ogen" in texts and "open je ogen" not in texts and "sta " not in texts
    last = tl.cues[-1]
    assert tl.duration_ms - last.end_ms >= 15_000, "ends in a long silence"


def test_onderweg_is_discreet() -> None:
    routine = library.find("onderweg")
    assert routine.public and routine.eyes == "open" and routine.posture == "sitting"
    assert all(library.catalogue()[r.group].public for r in routine.groups)
    tl = compose(routine, {"lang": "en"}, measure=False).timeline
    assert "close your eyes" not in " ".join(c.text for c in tl.cues)


def test_loslaten_never_asks_to_tense() -> None:
    tl = compose(library.find("loslaten"), {"lang": "en"}, measure=False).timeline
    assert not [s for s in tl.segments if s.phase == "tense"]
    assert not [c for c in tl.cues if c.kind in ("tense", "hold")]


def test_gentle_changes_the_wording() -> None:
    tl = compose(library.find("standaard"), {"lang": "nl", "intensity": "gentle"},
                 measure=False).timeline
    assert any("helft" in c.text for c in tl.cues)
    assert {c.text for c in tl.cues if c.kind == "tense"} == {"Nu, span maar licht aan."}
    instructions = " ".join(g.instruction for g in tl.groups)
    assert "stevig" not in instructions and "licht" in instructions


def test_day_ending_says_get_up_slowly() -> None:
    tl = compose(library.find("standaard"), {"lang": "en", "ending": "day"}, measure=False).timeline
    assert "Do not get up straight away" in tl.cues[-1].text


@pytest.mark.parametrize(
    ("content", "line", "field"),
    [
        ("name: x\ngroups: [feet-lower-legs, elbows]\n", 2, "groups.1"),
        ("name: x\ngroups:\n  - feet-lower-legs\n  - hand-forearm\n", 4, "groups.1"),
        ("name: x\ngroups: [face]\ndefaults:\n  tension: 30\n", 4, "defaults.tension"),
        ("name: x\ngroups: [face]\nposture: upside-down\n", 3, "posture"),
        ("name: x\ngroups: []\n", 2, "groups"),
        ("name: x\n\ncolour: blue\ngroups: [face]\n", 3, "colour"),
        ("name: [x\n", 2, "(syntax)"),
    ],
)
def test_bad_routine_file_names_file_line_field(
    tmp_path: Path, content: str, line: int, field: str
) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(content)
    with pytest.raises(SourceError) as err:
        library.load_file(path)
    assert err.value.line == line
    assert err.value.field == field
    assert str(err.value).startswith(f"{path}:{line}: {field}:")


def test_dutch_breathing_cues_are_whole_sentences() -> None:
    tl = compose(library.find("standaard"), {"lang": "nl", "breathing": True},
                 measure=False).timeline
    by_group = {c.group: c.text for c in tl.cues if c.kind == "tense"}
    assert by_group["shoulders"] == "Nu, adem in, en span maar aan."
    # Pulling the belly in while breathing in contradicts itself: breathe on instead.
    assert by_group["belly"] == "Nu, span maar aan en adem door."
    assert {c.text for c in tl.cues if c.kind == "release"} == {"Adem uit, en laat maar los."}


def test_texts_have_only_nl_and_en(tmp_path: Path) -> None:
    path = tmp_path / "komma.yaml"
    path.write_text("name: {nl: Armen, schouders, en: Arms}\ngroups: [face]\n")
    with pytest.raises(SourceError) as err:
        library.load_file(path)
    assert err.value.line == 1 and "put quotes around a text with a comma" in str(err.value)
