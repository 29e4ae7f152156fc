"""The `ontspan` command. It parses arguments and calls services; heavy libraries (audio,
database, web) are imported inside the commands that need them, so --help stays fast."""

from __future__ import annotations

import json
import sys
from enum import IntEnum
from pathlib import Path
from typing import Any

import click

from ontspan import __version__
from ontspan.core.errors import OntspanError
from ontspan.core.i18n import N_
from ontspan.interfaces.helptext import SpokenGroup
from ontspan.interfaces.options import lang_choice, pop_session_options, session_options, voice_option


class ExitStatus(IntEnum):
    OK = 0
    ERROR = 1
    USAGE = 2
    INTERRUPTED = 130


def lang_in(args: list[str]) -> str | None:
    """The --lang a person gave anywhere on the line, so that even click's own complaints
    about the rest of it come in that language."""
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


class OntspanGroup(SpokenGroup):
    """Speaks the person's language from the first word, and is the one guard between a
    person and a traceback: anything they can cause (an OntspanError, an OSError on a file
    they named, Ctrl-C) ends in one line and a non-zero exit."""

    group_class = SpokenGroup

    def main(self, args: Any = None, *a: Any, **kw: Any) -> Any:
        from ontspan.interfaces.clickwords import localise_click
        from ontspan.lang import activate

        words = list(sys.argv[1:] if args is None else args)
        activate(lang_in(words))
        localise_click()
        return super().main(words, *a, **kw)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except OntspanError as exc:
            from ontspan.library import explain

            _refuse(ctx, explain(exc), ExitStatus.ERROR)
        except OSError as exc:
            from ontspan.library import explain_os_error

            _refuse(ctx, explain_os_error(exc), ExitStatus.ERROR)
        except (KeyboardInterrupt, click.Abort) as exc:
            from ontspan.core.i18n import lang
            from ontspan.library import phrases

            if isinstance(exc, click.Abort) and not sys.stdin.isatty():
                # click says Abort for a prompt that met the end of piped input, too
                _refuse(ctx, phrases()("error.input_ended", lang()), ExitStatus.ERROR)
            if sys.stderr.isatty():
                click.echo(err=True)  # past the ^C the terminal printed
            click.echo(phrases()("error.interrupted", lang()), err=True)
            ctx.exit(ExitStatus.INTERRUPTED)


def _refuse(ctx: click.Context, line: str, status: ExitStatus) -> None:
    click.echo(f"ontspan: {line}", err=True)
    ctx.exit(status)


@click.group(cls=OntspanGroup, context_settings={"help_option_names": ["-h", "--help"]},
             help=N_("Progressive muscle relaxation: tense a muscle group, let go, feel the "
                     "difference.\n\nStart with `ontspan practice` (or `ontspan practice bed` in "
                     "bed, `ontspan practice onderweg` on the train). Everything stays on this "
                     "computer."))
@click.version_option(__version__, prog_name="ontspan")
@click.option("--lang", type=lang_choice(), help=N_("Language (default: from your locale)."))
def cli(lang: str | None) -> None:
    pass


@cli.command(help=N_("List the built-in routines and your own, with their length."))
@click.option("--json", "as_json", is_flag=True, help=N_("Print as JSON."))
@click.option("--lang", type=lang_choice(), help=N_("Language of names."))
def routines(as_json: bool, lang: str | None) -> None:
    from ontspan import library, paths
    from ontspan.services.sessions import compose

    listing = library.all_routines()
    rows: list[dict[str, Any]] = []
    for routine in listing.routines:
        # Lengths by estimate: listing must not wait for a voice to speak every routine.
        composed = compose(routine, {"lang": lang}, measure=False)
        prefs, timeline = composed.prefs, composed.timeline
        rows.append({
            "id": routine.id,
            "name": routine.name(prefs.lang),
            "summary": routine.summary(prefs.lang),
            "groups": len(timeline.groups),
            "minutes": round(timeline.duration_ms / 60_000, 1),
            "source": "built-in" if routine.builtin else routine.source,
        })
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        from ontspan.core.i18n import _, ngettext, number

        width = max(len(r["id"]) for r in rows)
        for r in rows:
            own = "" if r["source"] == "built-in" else "  " + _("(your own)")
            groups = ngettext("{n} group", "{n} groups", r["groups"])
            click.echo(f"{r['id']:<{width}}  {number(r['minutes']):>4} min  {groups:<10}  "
                       f"{r['name']}: {r['summary']}{own}")
        click.echo("\n" + _("Your own routines go in {folder} (YAML).",
                             folder=paths.routines_dir()))
    for problem in listing.problems:
        click.echo(f"ontspan: {problem}", err=True)
    if listing.problems:
        sys.exit(ExitStatus.ERROR)


@cli.command(help=N_("Show the exact script of a session: every step, what is said and "
                     "when.\n\nTimes are those of the voice (the built-in one unless --voice), "
                     "so they match the audio of `ontspan render` with the same options "
                     "exactly."))
@click.argument("routine", default="standaard")
@session_options
@voice_option
@click.option("--json", "as_json", is_flag=True, help=N_("Print the Timeline as JSON."))
@click.option("--no-safety", is_flag=True, help=N_("Ignore your safety profile."))
def show(routine: str, as_json: bool, voice: str | None, no_safety: bool, **kwargs: Any) -> None:
    from ontspan.interfaces.cli_journal import compose_here

    timeline = compose_here(routine, pop_session_options(kwargs), voice, not no_safety).timeline
    if as_json:
        click.echo(json.dumps(timeline.to_dict(), ensure_ascii=False, indent=2))
        return
    from ontspan.interfaces.showtext import render_text

    click.echo(render_text(timeline))


@cli.command(help=N_("Make a session into an audio file to take along (phone, bed, therapy "
                     "handout)."))
@click.argument("routine", default="standaard")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help=N_("Audio file to write: .mp3, .ogg, .opus, .flac or .wav (captions go "
                      "beside it as .vtt)."))
@session_options
@voice_option
@click.option("--tones/--no-tones", default=False,
              help=N_("A soft tone at the start and the end."))
@click.option("--background", type=click.Choice(["none", "pink", "brown"]), default="none",
              help=N_("A quiet noise bed under the voice."))
@click.option("--background-level", type=float, default=-26.0, show_default=True,
              help=N_("Background level in dB relative to the voice (-50 to -14)."))
@click.option("-q", "--quiet", is_flag=True, help=N_("No progress bar."))
@click.option("--no-safety", is_flag=True, help=N_("Ignore your safety profile."))
def render(routine: str, output: Path, voice: str | None, tones: bool, background: str,
           background_level: float, quiet: bool, no_safety: bool, **kwargs: Any) -> None:
    from ontspan.audio.mixer import BACKGROUND_RANGE_DB, MixSettings
    from ontspan.interfaces.cli_journal import compose_here
    from ontspan.services.render import check_target
    from ontspan.services.render import render as do_render

    check_target(output)
    low, high = BACKGROUND_RANGE_DB
    if not low <= background_level <= high:
        raise OntspanError(f"--background-level: {background_level:g} dB is outside {low:g} to "
                           f"{high:g} dB (louder would compete with the voice)")
    spoken = compose_here(routine, pop_session_options(kwargs), voice, not no_safety)
    settings = MixSettings(tones=tones, background=background,
                           background_level_db=background_level)
    show_bar = not quiet and sys.stderr.isatty()
    if show_bar:
        from rich.progress import Progress

        with Progress(transient=True) as bar:
            task = bar.add_task(f"{output.name}", total=1.0)
            result = do_render(spoken, output, settings,
                               lambda done, total: bar.update(task, completed=done / total))
    else:
        result = do_render(spoken, output, settings)
    if not quiet:
        from ontspan.core.i18n import _
        from ontspan.core.timeline import clock

        click.echo(_("{path} ({length}), captions: {captions}", path=result.path,
                     length=clock(result.duration_ms), captions=result.captions))


@cli.group(invoke_without_command=True,
           help=N_("List the voices ontspan can speak with, and add your own.\n\nThe built-in "
                   "eSpeak NG voice needs nothing else. A Piper voice sounds more natural: "
                   "`ontspan voices download nl_NL-mls-medium` fetches one (internet needed), "
                   "or `ontspan voices add NAME FILE.onnx` registers one you have. A folder of "
                   "your own recordings works too: `ontspan voices record-list ROUTINE` says "
                   "what to record."))
@click.pass_context
def voices(ctx: click.Context) -> None:
    if ctx.invoked_subcommand is not None:
        return
    from ontspan.audio.voices import available

    for info in available():
        click.echo(f"{info.name:<12} {info.lang}  {info.kind:<10} {info.detail}")


@voices.command("add", help=N_("Register a Piper model (.onnx) or a folder of recordings "
                                "under a NAME for --voice."))
@click.argument("name")
@click.argument("location", type=click.Path(path_type=Path))
@click.option("--lang", type=lang_choice(), required=True,
              help=N_("The language this voice speaks."))
def voices_add(name: str, location: Path, lang: str) -> None:
    from ontspan.audio.voices import register

    register(name, location, lang)
    from ontspan.core.i18n import _

    click.echo(_("Voice {name} added ({lang}): use --voice {name}", name=repr(name), lang=lang))


@voices.command("download", help=N_(
    "Download a Piper voice, e.g. nl_NL-mls-medium or nl_BE-nathalie-medium (needs "
    "internet).\n\nIt fetches the model and its config from the Piper project's voice "
    "collection on huggingface.co into ontspan's voices folder and registers it under NAME."))
@click.argument("name")
def voices_download(name: str) -> None:
    from ontspan import library, paths
    from ontspan.audio.voices import download_piper, register

    folder = paths.data_dir() / "voices"
    from ontspan.core.i18n import _

    click.echo(_("Downloading Piper voice {name} from huggingface.co into {folder} ...",
                 name=name, folder=folder), err=True)
    model = download_piper(name, folder)
    lang = library.languages().for_locale(name.split("-")[0]) or "en"
    register(name, model, lang)
    click.echo(_("Voice {name} ready: use --voice {name}", name=repr(name)))


@voices.command("record-list", help=N_("Print the phrases to record for a routine: one file "
                                        "per phrase id (e.g. tense.normal.wav)."))
@click.argument("routine", default="standaard")
@session_options
@click.option("--folder", type=click.Path(file_okay=False, path_type=Path),
              help=N_("Only list what is still missing in this recordings folder."))
def voices_record_list(routine: str, folder: Path | None, **kwargs: Any) -> None:
    from ontspan import library
    from ontspan.audio.voices import RecordedVoice
    from ontspan.services.sessions import compose

    # The lines to record do not depend on their length: an estimate times them well enough.
    timeline = compose(library.find(routine), pop_session_options(kwargs), measure=False).timeline
    seen: set[str] = set()
    voice = RecordedVoice(folder, timeline.lang) if folder else None
    for cue in timeline.cues:
        if cue.phrase in seen:
            continue
        seen.add(cue.phrase)
        if voice is not None and voice.file_for(cue.phrase) is not None:
            continue
        click.echo(f"{cue.phrase}.wav\t{cue.text}")


@cli.command(help=N_("For therapists: a printable handout of a tailored session, and its "
                     "audio to hand over.\n\nTailor with the session options and the client's "
                     "own answers (the intake's questions as options); the safety profile on "
                     "this computer is never used. Or write the client's own routine file and "
                     "pass its path. The handout and the audio come from the same script, so "
                     "they always agree."))
@click.argument("routine", default="standaard")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help=N_("The handout to write: .html (open it in a browser and print) or .pdf."))
@click.option("--client", help=N_("The client's name, printed at the top."))
@click.option("--audio", type=click.Path(dir_okay=False, path_type=Path),
              help=N_("Also render the matching audio file (.mp3, .ogg, ...)."))
@click.option("--pain", help=N_("The client's areas with serious pain or joint problems."))
@click.option("--heart-lung", is_flag=True, help=N_("The client has a heart or lung condition."))
@click.option("--trauma", is_flag=True, help=N_("The client has trauma or PTSD complaints."))
@click.option("--injury", help=N_("The client's areas with a recent injury or operation."))
@click.option("--pregnant", is_flag=True, help=N_("The client is pregnant."))
@click.option("--contact-lenses", is_flag=True, help=N_("The client wears contact lenses."))
@session_options
@voice_option
def handout(routine: str, output: Path, client: str | None, audio: Path | None,
            voice: str | None, pain: str | None, heart_lung: bool, trauma: bool,
            injury: str | None, pregnant: bool, contact_lenses: bool, **kwargs: Any) -> None:
    from ontspan.files import atomic_path, check_output

    kind = output.suffix.lower()
    if kind not in (".html", ".htm", ".pdf"):
        from ontspan.core.i18n import _

        raise OntspanError(_("{path}: the handout is an .html file (print it from a browser) "
                             "or a .pdf file", path=output))
    check_output(output)
    if audio is not None:
        from ontspan.services.render import check_target

        check_target(audio)
    from ontspan import library
    from ontspan.services.safety import client_profile
    from ontspan.services.sessions import compose

    profile = client_profile(pain, heart_lung, trauma, injury, pregnant, contact_lenses)
    spoken = compose(library.find(routine), pop_session_options(kwargs), profile, voice)
    if audio is not None:
        from ontspan.audio.mixer import MixSettings
        from ontspan.services.render import render as do_render

        do_render(spoken, audio, MixSettings())
        click.echo(str(audio))
    if kind == ".pdf":
        from ontspan.services.handout_pdf import handout_pdf

        data = handout_pdf(spoken.timeline, client, audio.name if audio else None)
    else:
        from ontspan.services.handout import handout_html

        data = handout_html(spoken.timeline, client,
                            audio.name if audio else None).encode("utf-8")
    with atomic_path(output) as tmp:
        tmp.write_bytes(data)
    click.echo(str(output))


def _register() -> None:
    from ontspan.interfaces import (
        cli_accounts,
        cli_journal,
        cli_path,
        cli_practice,
        cli_safety,
        cli_serve,
    )

    for command in [*cli_journal.COMMANDS, *cli_safety.COMMANDS, *cli_accounts.COMMANDS,
                    *cli_path.COMMANDS]:
        cli.add_command(command)
    cli.add_command(cli_practice.practice)
    cli.add_command(cli_serve.serve)


_register()


def main() -> None:
    cli(prog_name="ontspan")
