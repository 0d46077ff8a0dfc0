"""Documents written once as blocks and drawn as Word, PDF and Excel.

``blocks`` is the model (title, paragraph, ruled table, page break); ``to_docx`` draws it with
python-docx, ``to_pdf`` as HTML (``core/documents/document.html``) through WeasyPrint with nothing
fetched, ``to_xlsx`` draws a summary table (title, note, header, rows) through ``core.xlsx_fast``. The apps
keep their own content: the founding documents (``founding.documents``), the member card
(``members.card``), the AK表1-1 table (``statreports.documents``). See
docs/decisions/0003-documents-from-one-block-model.md.
"""
