"""Fuzzing through the CLI: mutated routine files in the person's routines folder and odd sleep
diary and log values must end in a refusal (one line, exit 1) or a success, never a traceback.

Short in CI (a few seconds); HYPOTHESIS_PROFILE=thorough runs a thousand examples each."""

from __future__ import annotations

import os
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from ontspan.interfaces.cli import cli

THOROUGH = os.environ.get("HYPOTHESIS_PROFILE") == "thorough"
FUZZ = settings(max_examples=settings.get_profile("thorough").max_examples if THOROUGH else 10,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow],
                deadline=None)

BUILTIN = [p.read_text(encoding="utf-8") for p in
           resources.files("ontspan.data").joinpath("routines").iterdir()
           if p.name.endswith(".yaml")]


def no_traceback(result: Result, args: list[str]) -> None:
    """Success, or a usage error (2), or a refusal: one 'ontspan:' line and exit 1."""
    crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
    assert not crashed, f"{args}: {result.exception!r}\n{result.output}"
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.output)
    if result.exit_code == 1:
        assert any(line.startswith("ontspan: ") for line in result.stderr.splitlines()), \
            (args, result.stderr)


def run(*args: str) -> None:
    result = CliRunner().invoke(cli, list(args))
    no_traceback(result, list(args))
    event(f"{args[0]}: exit {result.exit_code}")  # --hypothesis-show-statistics: how deep it got


# -- routine files ---------------------------------------------------------------------------

SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-10**30, 10**30),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
    st.sampled_from(["face", "legs", "shoulders@dominant", "hands@left", "eyes@other", "nl",
                     "en", "night", "gentle", "lying", "release-only", "", "~", "0x1F",
                     "2026-03-28", ".inf"]),
)
VALUES: st.SearchStrategy[Any] = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.text(max_size=10), inner, max_size=4)),
    max_leaves=8,
)
KEYS = st.sampled_from(["name", "summary", "posture", "eyes", "breaths", "mode", "public",
                        "groups", "defaults", "id", "nl", "en", "tension", "release", "rounds",
                        "minutes", "lang", "unknown"])


@st.composite
def tree_mutation(draw: st.DrawFn) -> str:
    """A built-in routine with a field replaced, removed or added somewhere in its tree."""
    data = yaml.safe_load(draw(st.sampled_from(BUILTIN)))
    node: Any = data
    for _ in range(draw(st.integers(0, 2))):  # walk into a nested mapping or list
        if isinstance(node, dict) and node:
            child = node[draw(st.sampled_from(sorted(node, key=str)))]
        elif isinstance(node, list) and node:
            child = node[draw(st.integers(0, len(node) - 1))]
        else:
            break
        if not isinstance(child, (dict, list)):
            break
        node = child
    action = draw(st.sampled_from(["replace", "remove", "add"]))
    if isinstance(node, dict):
        key = draw(st.sampled_from(sorted(node, key=str))) if node and action != "add" \
            else draw(KEYS)
        if action == "remove":
            node.pop(key, None)
        else:
            node[key] = draw(VALUES)
    elif isinstance(node, list):
        index = draw(st.integers(0, len(node)))
        if action == "remove" and index < len(node):
            node.pop(index)
        else:
            node.insert(index, draw(VALUES))
    return yaml.safe_dump(data, allow_unicode=True)


YAML_BITS = st.sampled_from([":", "- ", "[", "]", "{", "}", "\t", "\n", "  ", "@", "&a ", "*a",
                             "!!python/object:os.system ", "? ", "'", '"', "#", "|", ">",
                             "%YAML 1.1\n", "---\n", "...\n", "\x00", "\ufeff", "é", "1e999",
                             "<<: *a\n", "!!binary AAAA", "0o17", "groups: face\n"])


@st.composite
def text_mutation(draw: st.DrawFn) -> str:
    """A built-in routine file with a few characters cut, inserted or lines swapped."""
    text = draw(st.sampled_from(BUILTIN))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["cut", "insert", "swap"]))
        if kind == "cut":
            text = text[:at] + text[at + draw(st.integers(1, 20)):]
        elif kind == "insert":
            text = text[:at] + draw(st.one_of(YAML_BITS, st.text(max_size=5))) + text[at:]
        else:
            lines = text.splitlines(keepends=True)
            if len(lines) > 1:
                i = draw(st.integers(0, len(lines) - 2))
                lines[i], lines[i + 1] = lines[i + 1], lines[i]
                text = "".join(lines)
    return text


# `routines` composes every routine as `show` does, by estimate; `show` also has the voice speak
# each new phrase (seconds on a new data folder), so only the thorough run takes it.
COMMANDS = ["routines", "log", *(["show"] if THOROUGH else [])]


@FUZZ
@given(text=st.one_of(tree_mutation(), text_mutation()), command=st.sampled_from(COMMANDS),
       lang=st.sampled_from(["nl", "en"]))
def test_mutated_routine_files(text: str, command: str, lang: str, ontspan_home: Path) -> None:
    folder = ontspan_home / "routines"
    folder.mkdir(exist_ok=True)
    (folder / "mijn.yaml").write_bytes(text.encode("utf-8", "surrogatepass"))
    if command == "show":
        run("show", "mijn", "--json", "--lang", lang)
    elif command == "routines":
        run("routines", "--json", "--lang", lang)
    else:
        run("log", "mijn", "--minutes", "5")


# -- diary and log values --------------------------------------------------------------------

def mostly(good: st.SearchStrategy[str], odd: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Usually a value that passes click's own checks (so the run gets past them into ours),
    now and then an odd one."""
    return st.integers(0, 9).flatmap(lambda n: odd if n == 0 else good)


CLOCKS = mostly(
    st.one_of(st.times().map(lambda t: t.strftime("%H:%M")),
              st.builds(lambda h, m: f"{h}:{m:02d}", st.integers(-3, 30), st.integers(0, 99))),
    st.one_of(st.sampled_from(["24:00", "noon", "", "23.30", "2300", "7", "٣:٠٠", "23:00:00",
                               " 23:00 "]), st.text(max_size=8)),
)
MINUTES = mostly(st.integers(-5, 800).map(str),
                 st.sampled_from(["1e9", "-0", "", "x", "99999999999999999999"]))
TODAY = date.today()
DATES = mostly(
    st.dates(TODAY - timedelta(days=90), TODAY + timedelta(days=3)).map(str),
    st.one_of(st.dates().map(str),
              st.sampled_from(["2026-02-30", "yesterday", "28-03-2026", "2026-3-8", "0001-01-01",
                               "9999-12-31", "2026-03-28T00:00"]),
              st.text(max_size=12)),
)


@FUZZ
@given(date=DATES, bed=CLOCKS, try_=CLOCKS, final=CLOCKS, out=CLOCKS, latency=MINUTES,
       awakenings=MINUTES, awake=MINUTES, quality=mostly(st.integers(0, 6).map(str), MINUTES),
       note=st.text(max_size=40))
def test_sleep_diary_values(date: str, bed: str, try_: str, final: str, out: str, latency: str,
                            awakenings: str, awake: str, quality: str, note: str) -> None:
    run("sleep", "--date", date, "--bed", bed, "--try", try_, "--latency", latency,
        "--awakenings", awakenings, "--awake", awake, "--final", final, "--out", out,
        "--quality", quality, "--note", note)


@FUZZ
@given(routine=st.one_of(st.sampled_from(["standaard", "Standard", "BED", "zevn", "../x.yaml",
                                          "mijn.yml", "", " "]), st.text(max_size=12)),
       at=st.one_of(DATES, st.builds(lambda d, c: f"{d} {c}", DATES, CLOCKS)),
       minutes=mostly(st.floats(1, 120).map(str), MINUTES),
       before=mostly(st.integers(0, 10).map(str), MINUTES), note=st.text(max_size=40))
def test_log_values(routine: str, at: str, minutes: str, before: str, note: str) -> None:
    run("log", routine, "--at", at, "--minutes", minutes, "--before", before, "--note", note)
