"""Plain documents of the self-service area as PDF: contract annexes, letters, the e-BOK
regulations and forms. Polish first, English below; DejaVu fonts from the bundle."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from chalicelib.config import settings
from chalicelib.render.invoice_pdf import BOLD, FAMILY, REGULAR


def letter(
    title: tuple[str, str],
    lines_pl: Sequence[str],
    lines_en: Sequence[str],
    day: date,
    rows: Sequence[tuple[str, str]] = (),
) -> bytes:
    """A one-section document: heading, the seller, a table of terms, the text in both
    languages."""
    from fpdf import FPDF

    pdf: Any = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_creation_date(datetime(day.year, day.month, day.day, tzinfo=UTC))
    pdf.set_compression(True)
    pdf.add_font(FAMILY, "", str(REGULAR))
    pdf.add_font(FAMILY, "B", str(BOLD))
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_margins(15, 15, 15)
    pdf.add_page()
    s = settings()
    pdf.set_font(FAMILY, "", 9)
    pdf.multi_cell(0, 5, f"{s.seller_name}\n{s.seller_address}", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 5, f"Wrocław, {day.strftime('%d.%m.%Y')}", new_x="LMARGIN", new_y="NEXT", align="R")
    pdf.ln(4)
    pdf.set_font(FAMILY, "B", 14)
    pdf.multi_cell(0, 7, title[0], new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 10)
    pdf.multi_cell(0, 5, title[1], new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    for label, value in rows:
        pdf.set_font(FAMILY, "B", 10)
        pdf.cell(70, 6, label)
        pdf.set_font(FAMILY, "", 10)
        pdf.multi_cell(0, 6, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font(FAMILY, "", 10)
    for line in lines_pl:
        pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    if lines_en:
        pdf.ln(3)
        pdf.set_font(FAMILY, "", 8)
        for line in lines_en:
            pdf.multi_cell(0, 4, line, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
    return bytes(pdf.output())
