"""The therapist's handout and audio come from the same script."""

from __future__ import annotations

from pathlib import Path

import soundfile as sf
from click.testing import CliRunner

from ontspan.interfaces.cli import cli


def test_handout_with_audio_for_a_client(tmp_path: Path) -> None:
    html, mp3 = tmp_path / "maaike.html", tmp_path / "maaike.mp3"
    result = CliRunner().invoke(cli, ["handout", "vier", "--lang", "nl", "--client", "Maaike",
                                      "--audio", str(mp3), "-o", str(html), "--release", "20"])
    assert result.exit_code == 0, result.stderr
    page = html.read_text()
    assert "Voor Maaike" in page and "maaike.mp3" in page
    for name in ("Benen", "Buik en borst", "Armen, schouders en nek", "Gezicht"):
        assert f". {name}</td>" in page
    assert page.index("Benen") < page.index("Gezicht")
    assert "6 s aanspannen, 20 s loslaten en voelen" in page
    assert "huisarts of therapeut" in page
    assert sf.info(str(mp3)).duration > 120


def test_handout_shows_adaptations_and_refuses_other_formats(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["intake", "--pain", "neck", "--heart-lung", "no", "--trauma", "no",
                               "--therapist", "yes"]).exit_code == 0
    out = tmp_path / "h.html"
    result = runner.invoke(cli, ["handout", "standaard", "--lang", "en", "-o", str(out)])
    assert result.exit_code == 0
    assert "Adapted for you" in out.read_text() and "your neck" in out.read_text()
    result = runner.invoke(cli, ["handout", "standaard", "-o", str(tmp_path / "h.pdf")])
    assert result.exit_code == 1 and "is an .html file" in result.stderr
