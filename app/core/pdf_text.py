"""Text in any script on a generated PDF (reportlab): a font per script, run by run.

A name may mix scripts ("สมชาย Smith", "မောင် Aung", "Nguyễn Thị Đào", "សុខ Dara"), and no
single installed font has every script's glyphs, so a line is split into runs of one script
each, every run is drawn in the first installed font for its script, and the runs' widths are
added up to place (centre) the whole line. Spaces, digits, punctuation and combining marks
belong to the run they stand in. Fonts come from Debian's fonts-noto-core (Noto Sans, Thai,
Khmer, Myanmar, Lao), with fonts-thai-tlwg and DejaVu Sans as fallbacks; runs are shaped with
HarfBuzz (uharfbuzz) when it is installed, which Khmer and Burmese need to place their
subscript consonants and vowels.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from functools import cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.pdfgen.textobject import bidiShapedText

FONT_DIRS = ("/usr/share/fonts/truetype/noto", "/usr/share/fonts/opentype/noto",
             "/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/tlwg",
             "/usr/local/share/fonts", os.path.expanduser("~/.fonts"))
# script -> candidate font files (regular, bold), first found wins
FONT_FILES: dict[str, list[tuple[str, str]]] = {
    "latin": [("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
              ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")],
    "thai": [("NotoSansThai-Regular.ttf", "NotoSansThai-Bold.ttf"),
             ("NotoSansThaiLooped-Regular.ttf", "NotoSansThaiLooped-Bold.ttf"),
             ("Garuda.ttf", "Garuda-Bold.ttf")],
    "khmer": [("NotoSansKhmer-Regular.ttf", "NotoSansKhmer-Bold.ttf")],
    "myanmar": [("NotoSansMyanmar-Regular.ttf", "NotoSansMyanmar-Bold.ttf")],
    "lao": [("NotoSansLao-Regular.ttf", "NotoSansLao-Bold.ttf")],
}
SCRIPT_RANGES: dict[str, tuple[tuple[int, int], ...]] = {
    "thai": ((0x0E00, 0x0E7F),),
    "khmer": ((0x1780, 0x17FF), (0x19E0, 0x19FF)),
    "myanmar": ((0x1000, 0x109F), (0xA9E0, 0xA9FF), (0xAA60, 0xAA7F)),
    "lao": ((0x0E80, 0x0EFF),),
}
BUILT_IN = ("Helvetica", "Helvetica-Bold")


def _find(filename: str) -> str | None:
    for folder in FONT_DIRS:
        path = os.path.join(folder, filename)
        if os.path.isfile(path):
            return path
    return None


@cache
def font_for_script(script: str) -> tuple[str, str] | None:
    """Registered (regular, bold) font names for a script, or None when none is installed."""
    for regular, bold in FONT_FILES.get(script, []):
        reg_path = _find(regular)
        if reg_path is None:
            continue
        bold_path = _find(bold) or reg_path
        reg_name, bold_name = regular.rsplit(".", 1)[0], bold.rsplit(".", 1)[0]
        pdfmetrics.registerFont(TTFont(reg_name, reg_path))
        if bold_path != reg_path:
            pdfmetrics.registerFont(TTFont(bold_name, bold_path))
        else:
            bold_name = reg_name
        return reg_name, bold_name
    return None


def char_script(ch: str) -> str | None:
    """The script a character needs a font for; None for one that goes with its neighbours
    (spaces, digits, punctuation, combining marks)."""
    code = ord(ch)
    for script, ranges in SCRIPT_RANGES.items():
        if any(low <= code <= high for low, high in ranges):
            return script
    if ch.isspace() or unicodedata.category(ch)[0] in "MPNZS":
        return None
    return "latin"


@cache
def _has_glyph(script: str, ch: str) -> bool:
    """Whether the script's font draws this character: Noto Sans Thai, Myanmar and Lao have no
    digits or full stops, so "5 ธ.ค. 2569" needs the Latin font for those."""
    fonts = font_for_script(script)
    if fonts is None:
        return True  # the script is drawn in the Latin font anyway
    face = getattr(pdfmetrics.getFont(fonts[0]), "face", None)
    return face is None or ord(ch) in face.charToGlyph


def script_runs(text: str) -> list[tuple[str, str]]:
    """The text as (script, run) pairs in order; neutral characters join the run they follow
    (the next run at the start) when its font draws them, else they go in a Latin run."""
    runs: list[tuple[str, str]] = []
    pending = ""  # neutral characters before the first scripted one
    for ch in text:
        script = char_script(ch)
        if script is None:
            if not runs:
                pending += ch
                continue
            last = runs[-1][0]
            if unicodedata.category(ch)[0] == "M" or _has_glyph(last, ch):
                runs[-1] = (last, runs[-1][1] + ch)
                continue
            script = "latin"  # a digit or a stop the script's own font does not have
        if runs and runs[-1][0] == script:
            runs[-1] = (script, runs[-1][1] + ch)
        elif not runs and pending and not all(_has_glyph(script, c) for c in pending):
            runs.extend((("latin", pending), (script, ch)))
            pending = ""
        else:
            runs.append((script, pending + ch))
            pending = ""
    if pending:
        runs.append(("latin", pending))
    return runs


def font_for(script: str, bold: bool = False) -> str:
    """The registered font for a script (Latin's, then Helvetica, when none is installed)."""
    fonts = font_for_script(script) or font_for_script("latin") or BUILT_IN
    return fonts[1] if bold else fonts[0]


@dataclass(frozen=True)
class Run:
    text: str  # as drawn: shaped glyphs when the font is shaped
    font: str
    width: float


def measure_runs(text: str, size: float, bold: bool = False) -> list[Run]:
    """The runs of a line with the font each is drawn in and its width at `size`."""
    runs = []
    for script, part in script_runs(text):
        font = font_for(script, bold)
        shaping = bool(getattr(pdfmetrics.getFont(font), "shapable", False))
        drawn, width = bidiShapedText(part, None, fontName=font, fontSize=size, shaping=shaping)
        runs.append(Run(drawn, font, width))
    return runs


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of a line drawn with draw_runs, in points."""
    return sum(run.width for run in measure_runs(text, size, bold))


def draw_runs(pdf: canvas.Canvas, x: float, y: float, text: str, size: float,
              bold: bool = False) -> float:
    """Draw a line starting at x, each script in its font, as one text object (so a reader
    extracting the text gets the line whole); returns the width drawn."""
    runs = measure_runs(text, size, bold)
    line = pdf.beginText(x, y)
    for run in runs:
        line.setFont(run.font, size)
        line.textOut(run.text)
    pdf.drawText(line)
    return sum(run.width for run in runs)


def draw_centred(pdf: canvas.Canvas, centre: float, y: float, text: str, size: float, *,
                 bold: bool = False, max_width: float | None = None, min_size: float = 8) -> float:
    """Draw a line centred on `centre`, shrinking it (down to min_size) to fit max_width;
    returns the size used."""
    while max_width is not None and size > min_size and text_width(text, size, bold) > max_width:
        size -= 1
    draw_runs(pdf, centre - text_width(text, size, bold) / 2, y, text, size, bold)
    return size
