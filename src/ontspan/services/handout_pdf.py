"""The handout as a PDF: the words of services/handout.py, laid out on A4 by fpdf2.

fpdf2 is pure Python (no system libraries to install). It embeds DejaVu, the fonts matplotlib
already ships, so every letter of every language (ë, ï, ß, „…“) prints as itself."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from fpdf import FPDF, FontFace
from fpdf.enums import TableBordersLayout, XPos, YPos

from ontspan.core.timeline import Timeline
from ontspan.services.handout import HandoutText, handout_text

FONT = "DejaVu"
INK, GREY, RULE = (34, 34, 34), (85, 85, 85), (190, 190, 190)
ADAPTED, HEAD = (255, 247, 224), (238, 238, 238)


def _font_dir() -> Path:
    # Found without importing matplotlib (slow): only its data files are needed.
    spec = importlib.util.find_spec("matplotlib")
    assert spec is not None and spec.submodule_search_locations  # a dependency of ontspan
    return Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"


class _Page(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(format="A4")
        self.handout_title = title

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FONT, "", 8)
        self.set_text_color(*GREY)
        self.cell(0, 6, f"ontspan — {self.handout_title}    {self.page_no()}/{{nb}}", align="C")


def handout_pdf(timeline: Timeline, client: str | None = None, audio: str | None = None) -> bytes:
    return render(handout_text(timeline, client, audio))


def render(h: HandoutText) -> bytes:
    pdf = _Page(h.title)
    fonts = _font_dir()
    pdf.add_font(FONT, "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(20, 18, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.set_lang(h.lang)
    pdf.set_title(h.title)
    pdf.set_creator("ontspan")
    pdf.add_page()
    pdf.set_text_color(*INK)

    def heading(text: str, size: float, before: float = 5) -> None:
        if pdf.will_page_break(before + 25):  # a heading stays with what it heads
            pdf.add_page()
        else:
            pdf.ln(before)
        pdf.set_font(FONT, "B", size)
        pdf.multi_cell(0, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1.5)

    def paragraph(text: str, fill: bool = False) -> None:
        pdf.set_font(FONT, "", 10.5)
        pdf.multi_cell(0, 5.5, text, fill=fill, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    heading(h.title, 20, before=0)
    pdf.set_text_color(*GREY)
    for line in h.meta:
        paragraph(line)
    pdf.set_text_color(*INK)
    heading(h.how_title, 14)
    paragraph(h.how)
    if h.adapted:
        heading(h.adapted_title, 14)
        pdf.set_fill_color(*ADAPTED)
        for item in h.adapted:
            paragraph(f"•  {item}", fill=True)
    if h.steps:
        heading(h.steps_title, 14)
        pdf.set_font(FONT, "", 10)
        pdf.set_draw_color(*RULE)
        pdf.set_fill_color(255, 255, 255)
        with pdf.table(col_widths=(32, 88, 40), text_align="LEFT", line_height=5,
                       borders_layout=TableBordersLayout.HORIZONTAL_LINES,
                       headings_style=FontFace(emphasis="BOLD", fill_color=HEAD),
                       v_align="TOP", padding=1.5) as table:
            table.row(list(h.columns))
            for step in h.steps:
                table.row([step.group, step.what, step.time])
    heading(h.practice_title, 14)
    paragraph(h.practice)
    heading(h.homework_title, 14)
    paragraph(h.homework)
    heading(h.safety_title, 14)
    paragraph(h.safety)
    return bytes(pdf.output())
