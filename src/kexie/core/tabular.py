"""The one way to read a spreadsheet that a user uploaded (.xlsx, .xls, .ods or .csv).

An importer declares its columns (name, label, aliases, required) and calls ``read_table``.
The reader checks the file before parsing it (size, extension, magic bytes, and for ZIP-based
files the unpacked size and entry count: ASVS V5), finds the header row under any title rows,
maps the columns by their aliases in any order, and yields the data rows with their 1-based
row number in the spreadsheet. Values come back normalised: full-width digits, letters and
spaces are made ASCII, surrounding spaces are dropped, whole floats become ints, and empty
cells are left out. A cell holding a formula is never trusted: it is reported as a cell error
(found in the sheet XML of .xlsx files, parsed with defusedxml: no entity expansion, no external
reference; an .ods file with formulas is refused as a whole; in .xls
files, whose binary records are not read, only text starting with “=” is caught).
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import posixpath
import re
import threading
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import python_calamine
from defusedxml import ElementTree
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy, ngettext

from .errors import DomainError
from .i18n import join

EXTENSIONS = {".xlsx": "xlsx", ".xls": "xls", ".ods": "ods", ".csv": "csv"}
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
HEADER_SCAN_ROWS = 20
MAX_COLUMNS = 256
FORMULA_REASON = gettext_lazy("单元格含公式，导入时不会计算公式，请改为直接填写内容。")


def max_bytes() -> int:
    return settings.KEXIE_IMPORT_MAX_BYTES


def max_unpacked_bytes() -> int:
    return settings.KEXIE_IMPORT_MAX_UNPACKED_BYTES


def max_zip_entries() -> int:
    return settings.KEXIE_IMPORT_MAX_ZIP_ENTRIES


def max_rows() -> int:
    return settings.KEXIE_IMPORT_MAX_ROWS


class TabularError(DomainError):
    """The file as a whole cannot be read: wrong type, too big, no header, missing columns."""

    def __init__(self, message: str):
        super().__init__(message, field="file", code="tabular")


# --- text ------------------------------------------------------------------

_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F) if chr(code - 0xFEE0).isalnum()}
_FULLWIDTH[0x3000] = 0x20
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
_STRIP = " \t\r\n\u00a0\u3000" + _INVISIBLE


def halfwidth(text: str) -> str:
    """Full-width digits, letters and spaces (as a Chinese IME types them) to ASCII; punctuation stays."""
    return text.translate(_FULLWIDTH)


def clean_text(text: str) -> str:
    return halfwidth(text).strip(_STRIP)


_HEADER_NOISE = re.compile(r"[(\[【][^)\]】]*[)\]】]|[\s*:：#※]")


def header_key(text: Any) -> str:
    """How a header cell is compared with column aliases: “企业名称（必填）*” and “企业名称” match."""
    if text is None:
        return ""
    return _HEADER_NOISE.sub("", unicodedata.normalize("NFKC", str(text))).lower()


def display(value: Any) -> str:
    """A cell value as the user would read it in their spreadsheet."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def normalise(value: Any) -> Any:
    """A cell value as importers receive it; ``None`` for an empty cell."""
    if value is None:
        return None
    if isinstance(value, str):
        text = clean_text(value)
        return text or None
    if isinstance(value, float) and value.is_integer():
        return int(value)  # 200.0, or a credit code Excel stored as a number
    return value


# --- column specification and results ------------------------------------


@dataclass(frozen=True)
class Column:
    """One column an importer understands: its field name, its label, the other ways people name it."""

    name: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = False

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(header_key(text) for text in (self.label, *self.aliases))


@dataclass(frozen=True)
class CellError:
    row: int
    column: str
    value: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "value": self.value, "reason": self.reason}


@dataclass
class Row:
    number: int
    values: dict[str, Any]
    texts: dict[str, str]
    errors: list[CellError] = field(default_factory=list)


@dataclass
class Table:
    kind: str
    header_row: int
    headers: dict[str, str]  # column name -> the header text as it appears in the file
    _grid: list[list[Any]]
    positions: dict[str, int]  # column name -> 0-based position in the file
    _formulas: frozenset[tuple[int, int]]

    def label(self, name: str, default: str = "") -> str:
        return self.headers.get(name, default)

    def raw_rows(self) -> Iterator[tuple[int, list[Any]]]:
        """(row number, the raw cells) below the header, for an importer of large files that
        normalises per column and value itself (``normalise``, ``display``, ``is_formula``)."""
        for index in range(self.header_row, len(self._grid)):
            yield index + 1, self._grid[index]

    def is_formula(self, number: int, name: str, value: Any) -> bool:
        return (isinstance(value, str) and value.startswith("=")) or (
            bool(self._formulas) and (number - 1, self.positions[name]) in self._formulas
        )

    @property
    def data_rows(self) -> int:
        """Rows below the header, empty ones included (for progress: iterating skips them)."""
        return max(0, len(self._grid) - self.header_row)

    def __iter__(self) -> Iterator[Row]:
        for index in range(self.header_row, len(self._grid)):
            cells = self._grid[index]
            number = index + 1
            values: dict[str, Any] = {}
            texts: dict[str, str] = {}
            errors: list[CellError] = []
            for name, col in self.positions.items():
                raw = cells[col] if col < len(cells) else None
                value = normalise(raw)
                if value is None:
                    continue
                text = display(raw)
                texts[name] = text
                if (index, col) in self._formulas or (isinstance(value, str) and value.startswith("=")):
                    errors.append(CellError(number, self.headers[name], text, str(FORMULA_REASON)))
                    continue
                values[name] = value
            if texts:
                yield Row(number, values, texts, errors)


# --- checking the file ------------------------------------------------------


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):g}"


def check_size(size: int) -> None:
    """Call it before reading an upload, with the size the client announced."""
    if size > max_bytes():
        raise TabularError(
            gettext("文件大小超过上限（%(size)s MB），请拆分后分批导入。") % {"size": _megabytes(max_bytes())}
        )


def detect_kind(filename: str, data: bytes) -> str:
    """Check size, extension and magic bytes; return ``xlsx``, ``xls``, ``ods`` or ``csv``."""
    check_size(len(data))
    if not data:
        raise TabularError(gettext("上传的文件是空的。"))
    ext = posixpath.splitext((filename or "").lower())[1]
    kind = EXTENSIONS.get(ext)
    if kind is None:
        raise TabularError(gettext("只能导入 .xlsx、.xls、.ods 或 .csv 格式的文件。"))
    head = data[:8]
    if kind in ("xlsx", "ods"):
        if not head.startswith(ZIP_MAGIC):
            raise TabularError(_not_a_valid(ext))
        _check_zip(data, kind, ext)
    elif kind == "xls":
        if head != OLE_MAGIC:
            raise TabularError(
                gettext("文件内容不是有效的 .xls 表格，请用 Excel 或 WPS 重新另存为 .xlsx 后上传。")
            )
    elif head.startswith((ZIP_MAGIC, OLE_MAGIC)):
        raise TabularError(
            gettext("文件内容是 Excel 工作簿而不是 CSV 文本，请把扩展名改为 .xlsx 或 .xls 后重新上传。")
        )
    elif b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise TabularError(gettext("文件内容不是文本格式的 CSV，请用 Excel 或 WPS 重新另存为 CSV 后上传。"))
    return kind


def _not_a_valid(ext: str) -> str:
    return gettext("文件内容不是有效的 %(ext)s 表格，请用 Excel 或 WPS 重新另存为 %(ext)s 后上传。") % {
        "ext": ext
    }


def _too_many_rows(rows: int | None = None) -> str:
    rows = rows or max_rows()
    return ngettext(
        "文件超过 %(rows)s 行数据，请拆分后分批导入。", "文件超过 %(rows)s 行数据，请拆分后分批导入。", rows
    ) % {"rows": rows}


def _check_zip(data: bytes, kind: str, ext: str) -> None:
    """Refuse a ZIP bomb before any parser sees it: entry count, declared and actual unpacked size."""
    invalid = _not_a_valid(ext)
    too_big = gettext("文件解压后超过 %(size)s MB，已拒绝。请删除多余的内容后重新上传。") % {
        "size": _megabytes(max_unpacked_bytes())
    }
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > max_zip_entries():
                limit = max_zip_entries()
                raise TabularError(
                    ngettext(
                        "文件包含的部件超过 %(count)s 个，已拒绝。",
                        "文件包含的部件超过 %(count)s 个，已拒绝。",
                        limit,
                    )
                    % {"count": limit}
                )
            if sum(e.file_size for e in entries) > max_unpacked_bytes():
                raise TabularError(too_big)
            names = {e.filename for e in entries}
            if kind == "xlsx" and "[Content_Types].xml" not in names:
                raise TabularError(invalid)
            if kind == "ods" and (
                "mimetype" not in names or archive.read("mimetype").strip() != ODS_MIMETYPE
            ):
                raise TabularError(invalid)
            # Read every entry once: zipfile stops at the declared size and checks the CRC, so a
            # member that lies about its size is caught here, not in the parser.
            total = 0
            for entry in entries:
                with archive.open(entry) as member:
                    while chunk := member.read(1 << 16):
                        total += len(chunk)
                        if total > max_unpacked_bytes():
                            raise TabularError(too_big)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,
        EOFError,
        ValueError,
        OSError,
    ) as exc:
        raise TabularError(invalid) from exc


# --- reading the grid ------------------------------------------------------


def _decode_csv(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        candidates = [("utf-8-sig", data)]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = [("utf-16", data)]
    else:
        candidates = [("utf-8", data), ("gb18030", data)]
    for encoding, raw in candidates:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TabularError(gettext("无法识别 CSV 文件的字符编码，请另存为“CSV UTF-8”格式后重新上传。"))


def _csv_grid(data: bytes, rows: int | None = None) -> list[list[Any]]:
    text = _decode_csv(data)
    head = "\n".join(text.split("\n", HEADER_SCAN_ROWS)[:HEADER_SCAN_ROWS])
    delimiter = "\t" if head.count("\t") > head.count(",") else ","  # Excel's "Unicode text" uses tabs
    grid: list[list[Any]] = []
    limit = (rows or max_rows()) + HEADER_SCAN_ROWS
    try:
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if len(grid) >= limit:
                raise TabularError(_too_many_rows(rows))
            if len(record) > MAX_COLUMNS:
                raise TabularError(
                    gettext("文件超过 %(columns)s 列，请删除多余的列后重新上传。") % {"columns": MAX_COLUMNS}
                )
            grid.append(list(record))
    except csv.Error as exc:
        raise TabularError(
            gettext("CSV 文件格式有误，无法读取，请用 Excel 或 WPS 重新另存为 CSV 后上传。")
        ) from exc
    return grid


def _first_sheet_index(book) -> int:
    for index, meta in enumerate(book.sheets_metadata):
        if (
            meta.typ == python_calamine.SheetTypeEnum.WorkSheet
            and meta.visible == python_calamine.SheetVisibleEnum.Visible
        ):
            return index
    raise TabularError(gettext("文件中没有可读取的工作表。"))


def _workbook_grid(
    data: bytes, kind: str, rows: int | None = None
) -> tuple[list[list[Any]], frozenset[tuple[int, int]]]:
    unreadable = gettext(
        "无法读取该文件，文件可能已损坏或设置了密码，请用 Excel 或 WPS 打开后重新另存再上传。"
    )
    scan: _Background | None = None
    try:
        with python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)) as book:
            index = _first_sheet_index(book)
            if kind == "xlsx":
                # calamine gives the formulas' cached values only; finding the formula cells means
                # unzipping and scanning the sheet once more, which runs meanwhile on the other core
                # (calamine parses without holding the GIL, and so does zlib).
                scan = _Background(_xlsx_formula_cells, data, index)
            sheet = book.get_sheet_by_index(index)
            end = sheet.end
            if end is None:
                return [], frozenset()
            if end[1] + 1 > MAX_COLUMNS:
                raise TabularError(
                    gettext("工作表超过 %(columns)s 列，请删除多余的列后重新上传。")
                    % {"columns": MAX_COLUMNS}
                )
            if end[0] + 1 > (rows or max_rows()) + HEADER_SCAN_ROWS:
                raise TabularError(_too_many_rows(rows))
            grid = sheet.to_python(skip_empty_area=False)
            merged = sheet.merged_cell_ranges or []
    except python_calamine.CalamineError as exc:
        raise TabularError(unreadable) from exc
    finally:
        if scan is not None:
            scan.join()  # never leave the scan running behind a refusal
    _fill_merged(grid, merged)
    if kind == "ods":
        _refuse_ods_formulas(data)
    return grid, scan.result() if scan is not None else frozenset()


class _Background:
    """A function run in a thread (in the caller's language: Django's is per thread); ``result()``
    waits for it and returns its value or raises its error."""

    def __init__(self, fn, *args):
        self._value: Any = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, args=(translation.get_language(), fn, *args), daemon=True
        )
        self._thread.start()

    def _run(self, language, fn, *args) -> None:
        try:
            with translation.override(language):
                self._value = fn(*args)
        except BaseException as exc:  # re-raised by result()
            self._error = exc

    def join(self) -> None:
        self._thread.join()

    def result(self) -> Any:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value


def _fill_merged(grid: list[list[Any]], merged) -> None:
    """A merged cell holds its value in the top-left corner; give it to every cell it covers."""
    height = len(grid)
    for (r1, c1), (r2, c2) in merged:
        if r1 >= height or c1 >= len(grid[r1]):
            continue
        value = grid[r1][c1]
        for r in range(r1, min(r2, height - 1) + 1):
            row = grid[r]
            for c in range(c1, min(c2, len(row) - 1) + 1):
                row[c] = value


_NS_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")
_FORMULA_TAG = re.compile(rb"<(?:[\w.-]+:)?f[\s>/]")


def _rels(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    folder, name = posixpath.split(part)
    rels_path = posixpath.join(folder, "_rels", name + ".rels")
    root = ElementTree.fromstring(archive.read(rels_path))
    out = {}
    for rel in root.iter(_NS_REL):
        target = rel.get("Target", "")
        target = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join(folder, target))
        )
        out[rel.get("Id", "")] = (rel.get("Type", ""), target)
    return out


def _column_index(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + (ord(ch) - 64)
    return number - 1


def _xlsx_formula_cells(data: bytes, sheet_index: int) -> frozenset[tuple[int, int]]:
    """Where the worksheet holds formulas (calamine gives only their cached values)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            workbook = next(t for typ, t in _rels(archive, "").values() if typ.endswith("/officeDocument"))
            targets = _rels(archive, workbook)
            root = ElementTree.fromstring(archive.read(workbook))
            sheets = [el for el in root.iter() if el.tag.endswith("}sheet")]
            sheet_part = targets[sheets[sheet_index].get(_R_ID, "")][1]
            xml = archive.read(sheet_part)
            if not _FORMULA_TAG.search(xml):
                return frozenset()
            cells: set[tuple[int, int]] = set()
            row = col = -1
            current: tuple[int, int] | None = None
            for event, el in ElementTree.iterparse(io.BytesIO(xml), events=("start", "end")):
                tag = el.tag.rsplit("}", 1)[-1]
                if event == "start" and tag == "row":
                    row = int(el.get("r", row + 2)) - 1
                    col = -1
                elif event == "start" and tag == "c":
                    match = _CELL_REF.fullmatch(el.get("r", ""))
                    if match:
                        row, col = int(match.group(2)) - 1, _column_index(match.group(1))
                    else:
                        col += 1
                    current = (row, col)
                elif event == "start" and tag == "f" and current is not None:
                    cells.add(current)
                elif event == "end" and tag in ("c", "row"):
                    el.clear()
            return frozenset(cells)
    except (
        KeyError,
        IndexError,
        StopIteration,
        ValueError,
        ElementTree.ParseError,
        zipfile.BadZipFile,
    ) as exc:
        raise TabularError(_damaged()) from exc


def _damaged() -> str:
    return gettext("无法读取该文件，文件可能已损坏，请用 Excel 或 WPS 打开后重新另存再上传。")


def _refuse_ods_formulas(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            content = archive.read("content.xml")
    except (KeyError, zipfile.BadZipFile) as exc:
        raise TabularError(_damaged()) from exc
    if b"table:formula=" in content:
        raise TabularError(
            gettext(
                "该 .ods 文件含有公式，导入时不会计算公式。请把公式改为直接填写的内容，或另存为 .xlsx 后上传。"
            )
        )


# --- finding the header -----------------------------------------------------


def _match_header(cells: list[Any], columns: Sequence[Column]) -> dict[str, int]:
    by_key = {key: column for column in columns for key in column.keys}
    found: dict[str, int] = {}
    for position, cell in enumerate(cells):
        column = by_key.get(header_key(cell))
        if column is not None and column.name not in found:
            found[column.name] = position
    return found


def _find_header(grid: list[list[Any]], columns: Sequence[Column]) -> tuple[int, dict[str, int]]:
    required = {c.name for c in columns if c.required}
    best: tuple[int, int] = (0, 0)
    best_index, best_found = -1, {}
    for index, cells in enumerate(grid[:HEADER_SCAN_ROWS]):
        found = _match_header(cells, columns)
        score = (len(required & found.keys()), len(found))
        # On a tie the later row wins: a header merged over two rows repeats in both.
        if found and score >= best:
            best, best_index, best_found = score, index, found
    if best_index < 0:
        raise TabularError(
            gettext("没有找到表头：文件前 %(rows)s 行中没有可识别的列名，请按导入模板填写表头。")
            % {"rows": HEADER_SCAN_ROWS}
        )
    # The labels are the header texts to put in the file, so they are quoted as they must be written.
    missing = [c.label for c in columns if c.required and c.name not in best_found]
    if missing:
        names = join(f"“{label}”" for label in missing)
        raise TabularError(
            gettext("第 %(row)s 行表头缺少必填列：%(columns)s。请补上这些列后重新上传。")
            % {"row": best_index + 1, "columns": names}
        )
    return best_index, best_found


def read_table(
    data: bytes, *, filename: str, columns: Sequence[Column], max_rows: int | None = None
) -> Table:
    """Check and open the file, find its header; iterate the result for the data rows.
    ``max_rows`` raises the row limit for an importer that needs more (member rosters)."""
    kind = detect_kind(filename, data)
    if kind == "csv":
        grid, formulas = _csv_grid(data, max_rows), frozenset()
    else:
        grid, formulas = _workbook_grid(data, kind, max_rows)
    header_index, positions = _find_header(grid, columns)
    headers = {name: " ".join(display(grid[header_index][col]).split()) for name, col in positions.items()}
    return Table(
        kind=kind,
        header_row=header_index + 1,
        headers=headers,
        _grid=grid,
        positions=positions,
        _formulas=formulas,
    )
