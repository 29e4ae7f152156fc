"""The therapist's handout and audio come from the same script."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import soundfile as sf
from click.testing import CliRunner

from ontspan import library
from ontspan.interfaces.cli import cli
from ontspan.services.handout import handout_html
from ontspan.services.sessions import compose
from pdf_helpers import html_texts, pdf_text


def test_handout_with_audio_for_a_client(tmp_path: Path) -> None:
    html, mp3 = tmp_path / "maaike.html", tmp_path / "maaike.mp3"
    result = CliRunner().invoke(cli, ["handout", "vier", "--lang", "nl", "--client", "Maaike",
                                      "--audio", str(mp3), "-o", str(html), "--release", "20"])
    assert result.exit_code == 0, result.stderr
    page = html.read_text()
    assert "Voor Maaike" in page and "maaike.mp3" in page
    for name in ("Armen en handen", "Gezicht en nek", "Borst, schouders, rug en buik",
                 "Benen en voeten"):
        assert f". {name}</td>" in page
    assert page.index("Armen en handen") < page.index("Benen en voeten")
    assert "6 s aanspannen, 20 s loslaten en voelen" in page
    assert "huisarts of therapeut" in page
    assert sf.info(str(mp3)).duration > 120


def test_handout_shows_adaptations_and_refuses_other_formats(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "h.html"
    result = runner.invoke(cli, ["handout", "standaard", "--lang", "en", "--pain", "neck",
                                 "-o", str(out)])
    assert result.exit_code == 0
    assert "Adapted for you" in out.read_text() and "your neck" in out.read_text()
    result = runner.invoke(cli, ["handout", "standaard", "-o", str(tmp_path / "h.docx")])
    assert result.exit_code == 1 and "is an .html file" in result.stderr and ".pdf" in result.stderr
    assert not (tmp_path / "h.docx").exists()


def test_the_handout_as_a_pdf_says_what_the_page_says(tmp_path: Path) -> None:
    """Same words as the HTML handout, Dutch letters intact."""
    runner = CliRunner()
    pdf, html = tmp_path / "joëlle.pdf", tmp_path / "joëlle.html"
    for out in (pdf, html):
        result = runner.invoke(cli, ["handout", "vier", "--lang", "nl", "--client", "Joëlle Dijkstra",
                                     "--pain", "neck", "-o", str(out)])
        assert result.exit_code == 0, result.stderr
        assert result.stdout.strip() == str(out)
    text = pdf_text(pdf.read_bytes())
    for words in ("Voor Joëlle Dijkstra", "Zo doe je het", "1. Armen en handen", "4. Benen en voeten",
                  "Aangepast voor jou", "nek", "één", "huisarts of therapeut",
                  "Zo oefen je thuis"):
        assert words in text, words
    for piece in html_texts(html.read_text()):
        assert piece in text, piece


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(page: str) -> Tags:
    parser = Tags()
    parser.feed(page)
    return parser


def test_names_from_the_therapist_and_the_routine_file_are_shown_not_run(tmp_path: Path) -> None:
    """A client's name, a routine's name and an audio file name are text, never markup."""
    routine = tmp_path / "eigen.yaml"
    routine.write_text('name: {nl: "Rust & <b>stilte</b>", en: "Calm & <script>alert(1)</script>"}\n'
                       "groups: [legs, face]\n")
    client = '<img src=x onerror=alert(1)> & "Jan"'
    html = tmp_path / "h.html"
    result = CliRunner().invoke(cli, ["handout", str(routine), "--lang", "en", "--client", client,
                                      "-o", str(html)])
    assert result.exit_code == 0, result.stderr
    page = parse(html.read_text())
    assert not page.tags & {"script", "img", "b"}, page.tags
    text = "".join(page.text)
    assert "Calm & <script>alert(1)</script>" in text and client in text
    spoken = compose(library.find(str(routine)), {"lang": "nl"}, measure=False)
    page = parse(handout_html(spoken.timeline, "Jan", audio="<svg onload=alert(1)>.mp3"))
    assert "svg" not in page.tags and "b" not in page.tags
    assert "<svg onload=alert(1)>.mp3" in "".join(page.text)
    assert "Rust & <b>stilte</b>" in "".join(page.text)


def test_handout_uses_the_clients_answers_never_this_computers_profile(tmp_path: Path) -> None:
    runner = CliRunner()
    # The therapist's own computer has a profile and a past reaction.
    assert runner.invoke(cli, ["intake", "--pain", "neck", "--heart-lung", "no", "--trauma",
                               "no", "--therapist", "no"]).exit_code == 0
    assert runner.invoke(cli, ["log", "standaard", "--reaction", "dizzy"]).exit_code == 0
    plain = tmp_path / "plain.html"
    result = runner.invoke(cli, ["handout", "standaard", "--lang", "nl", "--client", "Karim",
                                 "-o", str(plain)])
    assert result.exit_code == 0, result.stderr
    page = plain.read_text()
    assert "Aangepast voor jou" not in page and "niet goed voelde" not in page
    assert "je nek" not in page and "stevig" in page
    gentle = tmp_path / "gentle.html"
    result = runner.invoke(cli, ["handout", "standaard", "--lang", "nl", "--client", "Sanne",
                                 "--heart-lung", "--pregnant", "-o", str(gentle)])
    assert result.exit_code == 0, result.stderr
    page = gentle.read_text()
    assert "Aangepast voor jou" in page and "zwanger" in page and "hart- of longaandoening" in page
    # The handout says what its audio says: gently, and breathing on.
    assert "stevig" not in page.split("Zo oefen je thuis")[0]
    assert "Houd je adem nooit vast" in page and "licht" in page
    assert "Val je tijdens het oefenen in slaap, dan is dat prima" in page


def test_a_pdf_with_letters_no_font_has_still_comes_out() -> None:
    """A name with an emoji or a Chinese character: those letters are left out, the rest is
    printed, and nothing breaks."""
    from ontspan.services.handout_pdf import handout_pdf

    spoken = compose(library.find("vier"), {"lang": "de"}, measure=False)
    text = pdf_text(handout_pdf(spoken.timeline, "Jürgen 🙂 王 „Ĳssel“", "übung.mp3"))
    assert "Für Jürgen" in text and "„Ĳssel“" in text and "übung.mp3" in text


def test_a_later_stage_of_the_path_is_not_handed_out_as_tense_and_release() -> None:
    """Recall and counting tense nothing: the handout says what the stage practises, never
    "tense each group firmly", and lists no muscle groups where there are none."""
    from ontspan.services.handout_pdf import handout_pdf

    for routine, words in (("herinneren", "door je te herinneren hoe loslaten voelt"),
                           ("tellen", "van één tot tien"), ("loslaten", "zonder aan te spannen")):
        spoken = compose(library.find(routine), {"lang": "nl"}, measure=False)
        page = handout_html(spoken.timeline)
        text = pdf_text(handout_pdf(spoken.timeline))
        for shown in (" ".join(html_texts(page)), text):
            assert "Span steeds één spiergroep stevig aan" not in shown, routine
            assert words in shown, (routine, shown[:300])
        assert ("<table>" in page) == (routine != "tellen")
        assert ("De stappen" in text) == (routine != "tellen")
    spoken = compose(library.find("volledig"), {"lang": "en"}, measure=False)
    assert "Practise twice a day, fifteen to twenty minutes" in handout_html(spoken.timeline)
