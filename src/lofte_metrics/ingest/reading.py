"""Reading the files people have: CSV in UTF-8, UTF-8 with BOM or cp1252, ``;`` or ``,``,
and Excel workbooks, into a header and rows of cells. Nothing is interpreted here."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass
from typing import Any

MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000


class FileProblem(ValueError):
    """The whole file is unusable; the message is Swedish and names the file."""


@dataclass(frozen=True)
class Table:
    header: list[str]
    #: (file row number as a person counts it: header = 1, first data row = 2, cells)
    rows: list[tuple[int, list[Any]]]


def check_size(data: bytes, name: str) -> None:
    if not data or not data.strip():
        raise FileProblem(f"{name}: filen är tom.")
    if len(data) > MAX_BYTES:
        raise FileProblem(
            f"{name}: filen är för stor ({len(data) // (1024 * 1024)} MB, högst {MAX_BYTES // (1024 * 1024)} MB)."
        )


def refuse_binary(head: bytes, name: str) -> None:
    """A file whose first 4 KiB hold a NUL byte is not text."""
    if b"\x00" in head[:4096]:
        raise FileProblem(f"{name}: filen ser ut att vara binär, inte text (CSV eller JSON).")


def refuse_unreadable(start: str, replaced: bool, name: str) -> None:
    """Text read as Windows-1252 that is something else: bytes it has no character for anywhere
    (``replaced``), or control characters in its first 4 KiB (``start``)."""
    controls = sum(1 for ch in start[:4096] if ord(ch) < 32 and ch not in "\r\n\t")
    if replaced or controls > 2:
        raise FileProblem(f"{name}: filen går inte att läsa som text (varken UTF-8 eller Windows-1252).")


def decode(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), else cp1252; binary content is refused."""
    refuse_binary(data, name)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    refuse_unreadable(text, "\ufffd" in text, name)
    return text


def sniff_delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    return ";" if first.count(";") >= first.count(",") and ";" in first else ","


def _blank(cells: list[Any]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _finish(header: list[Any], rows: list[tuple[int, list[Any]]], name: str, allow_empty: bool = False) -> Table:
    clean_header = [str(h).strip() if h is not None else "" for h in header]
    while clean_header and not clean_header[-1]:
        clean_header.pop()
    if not any(clean_header):
        raise FileProblem(f"{name}: rubrikraden saknas.")
    while rows and _blank(rows[-1][1]):  # blank trailing rows
        rows.pop()
    kept = [
        (n, cells[: len(clean_header)] + [None] * (len(clean_header) - len(cells)))
        for n, cells in rows
        if not _blank(cells)
    ]
    if not kept and not allow_empty:
        raise FileProblem(f"{name}: filen har rubriker men inga rader.")
    if len(kept) > MAX_ROWS:
        raise FileProblem(f"{name}: för många rader ({len(kept)}, högst {MAX_ROWS}).")
    return Table(clean_header, kept)


def read_json(data: bytes, name: str, what: str = "JSON") -> Any:
    """A JSON document from text in any accepted encoding; ``what`` names it in the message."""
    check_size(data, name)
    try:
        return json.loads(decode(data, name))
    except json.JSONDecodeError as exc:
        raise FileProblem(f"{name}: ingen giltig {what} ({exc.msg}, rad {exc.lineno}).") from exc


def read_csv(data: bytes, name: str) -> Table:
    check_size(data, name)
    text = decode(data, name)
    delimiter = sniff_delimiter(text)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise FileProblem(f"{name}: CSV-filen kunde inte läsas: {exc}.") from exc
    while records and _blank(list(records[0])):
        records.pop(0)
    if not records:
        raise FileProblem(f"{name}: filen är tom.")
    header, body = records[0], records[1:]
    return _finish(list(header), [(i + 2, list(r)) for i, r in enumerate(body)], name)


def _open_book(data: bytes, name: str) -> Any:
    check_size(data, name)
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise FileProblem(f"{name}: filen är ingen giltig Excel-fil (.xlsx).") from exc


def _sheet(ws: Any) -> tuple[list[Any], list[tuple[int, list[Any]]]]:
    """A sheet's header (its first row that is not blank) and the rows below it, numbered."""
    rows = ws.iter_rows(values_only=True)
    header_row = 0
    for row in rows:
        header_row += 1
        if not _blank(list(row)):
            return list(row), [(header_row + i + 1, list(r)) for i, r in enumerate(rows)]
    return [], []


def read_xlsx(data: bytes, name: str, sheet: str | None = None) -> Table:
    """The first sheet (or ``sheet``) of a workbook; date cells arrive as datetimes."""
    book = _open_book(data, name)
    if sheet is not None and sheet not in book.sheetnames:
        raise FileProblem(f"{name}: bladet '{sheet}' finns inte; filen har {', '.join(book.sheetnames)}.")
    ws = book[sheet] if sheet else book.worksheets[0]
    header, body = _sheet(ws)
    book.close()
    if not header:
        raise FileProblem(f"{name}: bladet '{ws.title}' är tomt.")
    return _finish(header, body, name)


def read_table(data: bytes, name: str, sheet: str | None = None) -> Table:
    """CSV or XLSX, by content (an XLSX is a zip file) rather than by the name alone."""
    if data[:4] == b"PK\x03\x04" or name.lower().endswith((".xlsx", ".xlsm")):
        return read_xlsx(data, name, sheet)
    return read_csv(data, name)


def read_workbook(data: bytes, name: str) -> dict[str, Table]:
    """Every sheet of a workbook that has a header row (a sheet may have no rows), by sheet name."""
    if data[:4] != b"PK\x03\x04":
        check_size(data, name)
        raise FileProblem(f"{name}: filen är ingen Excel-arbetsbok (.xlsx).")
    book = _open_book(data, name)
    tables: dict[str, Table] = {}
    for ws in book.worksheets:
        header, body = _sheet(ws)
        if header:
            tables[ws.title] = _finish(header, body, f"{name}, blad {ws.title}", allow_empty=True)
    book.close()
    return tables
