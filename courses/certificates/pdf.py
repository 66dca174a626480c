"""The certificate as a PDF, in the holder's language, with the font shipped in fonts/.

fpdf2 embeds (a subset of) the TrueType font with its Unicode map, so every Kazakh and Kyrgyz
letter prints and a PDF reader (or a test) extracts the text back letter for letter. The QR code
is drawn as vector squares from segno's matrix: sharp at any zoom, no image library involved.
"""

import logging
from pathlib import Path

import segno
from django.utils import formats, translation
from django.utils.translation import gettext as _
from fpdf import FPDF

FONTS = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVuSans"
# fontTools narrates every glyph of the subset it embeds at INFO; keep the logs for problems.
logging.getLogger("fontTools").setLevel(logging.WARNING)


def _qr(pdf: FPDF, url: str, *, x: float, y: float, size: float) -> None:
    matrix = segno.make(url, error="m").matrix
    cell = size / len(matrix)
    for row_index, row in enumerate(matrix):
        for column_index, dark in enumerate(row):
            if dark:
                pdf.rect(x + column_index * cell, y + row_index * cell, cell, cell, style="F")


def certificate_pdf(certificate, *, verify_url: str) -> bytes:
    with translation.override(certificate.language):
        return _draw(certificate, verify_url)


def _draw(certificate, verify_url: str) -> bytes:
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_title(_("Certificate") + f" {certificate.code}")
    pdf.set_author("Ustaz")
    pdf.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_draw_color(40, 80, 140)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, 277, 190)

    def line(text, *, size, bold=False, gap=4):
        pdf.set_font(FAMILY, "B" if bold else "", size)
        pdf.set_x(25)
        pdf.multi_cell(w=247, h=size * 0.5, text=text, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    pdf.set_y(28)
    line(_("Certificate").upper(), size=30, bold=True, gap=8)
    line(_("This certifies that"), size=14)
    line(certificate.holder_name, size=24, bold=True, gap=6)
    line(_("has completed the course"), size=14)
    line(certificate.course_title, size=20, bold=True, gap=6)
    hours = _("%(hours)s hours") % {"hours": certificate.hours}
    line(hours, size=13, gap=2)
    if certificate.areas:
        line(_("Competence areas: %(areas)s") % {"areas": "; ".join(certificate.areas)}, size=12)

    pdf.set_font(FAMILY, "", 12)
    pdf.set_xy(25, 160)
    issued = formats.date_format(certificate.issued_on, "DATE_FORMAT")
    pdf.cell(text=_("Date: %(date)s") % {"date": issued}, new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(25)
    pdf.cell(
        text=_("Verification code: %(code)s") % {"code": certificate.code},
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font(FAMILY, "", 9)
    pdf.set_x(25)
    pdf.cell(text=_("Check it at %(url)s") % {"url": verify_url})
    _qr(pdf, verify_url, x=240, y=150, size=35)
    return bytes(pdf.output())
