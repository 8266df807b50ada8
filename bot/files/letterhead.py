"""The office's letterhead for the documents it prints (the referral letter, the complaint's
disposition sheet and handling report): `[referral] template_file`, a .docx the office edits in
Word, or a plain centred heading from `[office]`."""

from __future__ import annotations

from docx import Document
from docx.document import Document as Doc
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from bot.config.settings import Settings


def letterhead(settings: Settings) -> Doc:
    office, template = settings.office, settings.referral.template_file
    doc = Document(template) if template else Document()
    if not template:
        head = doc.add_paragraph()
        head.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = head.add_run(office.name)
        run.bold, run.font.size = True, Pt(14)
        for line in (office.address, office.phone):
            if line:
                doc.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.CENTER
    return doc
