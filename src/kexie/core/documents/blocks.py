"""The few shapes an official form is made of. Each document is written once as a list of blocks
(``content``) and drawn twice: as Word (``to_docx``) and as HTML for WeasyPrint (``to_pdf``), so the
.docx and the PDF always say the same thing in the same layout."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Title:
    """A centred heading: ``level`` 1 is a document's title, 2 a smaller centred line (a document
    number, "（草案）"), ``issuer`` the red name of the issuing body above an official letter."""

    text: str
    level: int = 1
    issuer: bool = False
    kind: str = field(default="title", init=False)


@dataclass(frozen=True)
class Para:
    """A paragraph. Body text is indented two characters; ``align`` is left, center, right or justify."""

    text: str
    align: str = "justify"
    indent: bool = True
    bold: bool = False
    gap: bool = False  # extra space above (before a signature, an attachment list)
    kind: str = field(default="para", init=False)


@dataclass(frozen=True)
class Cell:
    text: str = ""
    span: int = 1
    align: str = "center"  # left, center, right
    bold: bool = False
    valign: str = "center"  # top, center, bottom
    height: float | None = None  # cm, at least (empty boxes to write and seal in)


@dataclass(frozen=True)
class Table:
    """A ruled table. ``widths`` in cm (their sum is the text width); the first ``header_rows``
    rows repeat on every page."""

    widths: tuple[float, ...]
    rows: tuple[tuple[Cell, ...], ...]
    header_rows: int = 0
    small: bool = False
    keep: bool = False  # never split over two pages (a box to sign with its label)
    kind: str = field(default="table", init=False)


@dataclass(frozen=True)
class PageBreak:
    kind: str = field(default="pagebreak", init=False)


Block = Title | Para | Table | PageBreak


def header(*labels: str) -> tuple[Cell, ...]:
    return tuple(Cell(label, bold=True) for label in labels)


def row(*values) -> tuple[Cell, ...]:
    return tuple(v if isinstance(v, Cell) else Cell("" if v is None else str(v)) for v in values)
