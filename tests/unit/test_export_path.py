"""One export path: every CSV and XLSX the product writes neutralises formula-like cells.

The CLI test enumerates the parser: every command with a ``csv`` or ``xlsx`` format is run on
a database whose carrier names and reporting units are formulas, and every cell is read back.
A new command that writes spreadsheets fails here until it is listed (and so checked).
"""

import csv
import io
import re

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import update

from carriermap.cli import build_parser, main
from carriermap.export import neutralise_frame, to_csv_bytes, to_xlsx_bytes
from carriermap.store import schema

PAYLOADS = ('=HYPERLINK("http://127.0.0.1:9/x","点我")', "+1+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
            "-2+3+cmd|' /C calc'!A0", "\t=1+1", "\r=1+1", " =1+1", "＝1+1")
DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
SPREADSHEET_FORMATS = {"csv", "xlsx"}
# Extra arguments each spreadsheet-writing command needs (the test fails for a command not listed).
COMMAND_ARGS = {
    "export": ["--city", "440100"],
    "metrics": ["--city", "440100", "--by", "reporting_unit"],
    "report": ["--city", "440100", "--quarter", "2026Q3"],
    "changes": ["--city", "440100", "--since", "2000-01-01"],
}


def _spreadsheet_commands() -> list[tuple[str, str]]:
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command")
    found = []
    for name, sub in subparsers.choices.items():
        for action in sub._actions:
            if action.dest == "format" and action.choices:
                found.extend((name, fmt) for fmt in action.choices if fmt in SPREADSHEET_FORMATS)
    return sorted(found)


def _is_live(value) -> bool:
    """Text a spreadsheet would run as a formula (a plain negative number in a CSV is just a number)."""
    if not isinstance(value, str) or re.fullmatch(r"-?\d+(\.\d+)?", value):
        return False
    return value.lstrip(" \u3000").startswith(DANGEROUS)


def _cells(data: bytes, fmt: str) -> list:
    if fmt == "csv":
        return [cell for row in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")) for cell in row]
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                cells.append(cell.value)
    return cells


@pytest.fixture
def hostile_store(store):
    """Guangzhou's carriers named (and their units called) with formulas."""
    ids = store.carriers("440100")["id"].tolist()
    with store.engine.begin() as conn:
        for index, carrier_id in enumerate(ids[:40]):
            payload = PAYLOADS[index % len(PAYLOADS)]
            conn.execute(update(schema.carriers).where(schema.carriers.c.id == carrier_id)
                         .values(name=payload + str(index), reporting_unit=payload, contact=payload))
    from carriermap.versions import edit_carrier

    edit_carrier(store, ids[0], {"status": "delisted"}, actor="=cmd|' /C calc'!A0")  # a change to list
    return store


@pytest.mark.parametrize("command, fmt", _spreadsheet_commands())
def test_every_cli_spreadsheet_neutralises_formulas(hostile_store, db_url, tmp_path, capsysbinary, command, fmt):
    assert command in COMMAND_ARGS, f"{command} --format {fmt} writes a spreadsheet: add it to COMMAND_ARGS"
    out = tmp_path / f"out.{fmt}"
    args = ["--database", db_url, command, *COMMAND_ARGS[command], "--format", fmt]
    to_file = fmt == "xlsx" or command == "report"
    code = main(args + (["-o", str(out)] if to_file else []))
    captured = capsysbinary.readouterr()
    assert code == 0, captured.err.decode()
    data = out.read_bytes() if to_file else captured.out
    cells = _cells(data, fmt)
    assert any(isinstance(c, str) and "HYPERLINK" in c for c in cells) or command == "report"
    live = [c for c in cells if _is_live(c)]
    assert not live, live[:5]


def test_metrics_csv_by_reporting_unit_keeps_the_text_readable(hostile_store, db_url, capsysbinary):
    assert main(["--database", db_url, "metrics", "--city", "440100", "--by", "reporting_unit",
                 "--format", "csv"]) == 0
    cells = _cells(capsysbinary.readouterr().out, "csv")
    assert "'" + PAYLOADS[0] in cells  # the text is kept, only made inert


def test_neutralise_frame_covers_headers_categoricals_and_leading_spaces():
    frame = pd.DataFrame({"=cmd": pd.Categorical(["=1+1", "ok"]), "n": [-5, 3], "s": [" @SUM(A1)", "天河"]})
    out = neutralise_frame(frame)
    assert list(out.columns) == ["'=cmd", "n", "s"]
    assert out.iloc[0, 0] == "'=1+1" and out["n"].tolist() == [-5, 3] and out["s"].iloc[0] == "' @SUM(A1)"
    for data, fmt in ((to_csv_bytes(frame), "csv"), (to_xlsx_bytes({"x": frame}), "xlsx")):
        assert not [c for c in _cells(data, fmt) if _is_live(c)]
