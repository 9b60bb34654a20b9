"""No CLI command prints a traceback; hostile numbers are clear errors (exit 2); data cannot drive the terminal."""

import json
import subprocess
import sys

import pytest
from sqlalchemy import update

from carriermap.cli import main
from carriermap.store import schema

HUGE = "99999999999999999999"


def _run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


@pytest.mark.parametrize("args", [
    ["history", "--carrier", HUGE], ["history", "--changeset", HUGE], ["history", "--limit", "1e20"],
    ["history", "--limit", HUGE], ["history", "--carrier", "²"], ["history", "--carrier", "-1"],
    ["history", "--limit", "0"], ["undo", HUGE], ["undo", "²"], ["undo", "1e3"],
], ids=lambda a: " ".join(a))
def test_hostile_numbers_are_clear_errors_with_exit_code_2(db_url, capsys, args):
    code, out, err = _run(capsys, "--database", db_url, "--lang", "en", *args)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("carriermap: --") and "whole number" in lines[0]


def test_full_width_digits_are_read_as_numbers(store, db_url, capsys):
    from carriermap.versions import edit_carrier

    carrier_id = int(store.carriers("440100")["id"].iloc[0])
    for contact in ("020-1", "020-2", "020-3"):
        edit_carrier(store, carrier_id, {"contact": contact}, actor="t")
    code, out, _ = _run(capsys, "--database", db_url, "history", "--limit", "２", "--format", "json")
    assert code == 0 and len(json.loads(out)["rows"]) == 2


def test_an_unexpected_failure_is_one_line_not_a_traceback(db_url, capsys, monkeypatch):
    from carriermap.commands import history_cmd

    def boom(args):
        raise RuntimeError("disk on fire\n  File \"/srv/app/secret.py\", line 1")

    monkeypatch.setattr(history_cmd, "run", boom)
    code, out, err = _run(capsys, "--database", db_url, "--lang", "en", "history")
    assert code == 1 and err.strip() == "carriermap: unexpected error (RuntimeError): disk on fire"


def test_terminal_escapes_and_bidi_overrides_in_data_are_printed_inert(store, db_url, capsys):
    """Names written before input was checked (or by another tool) cannot recolour or reorder the terminal."""
    from carriermap.versions import edit_carrier

    carrier_id = int(store.carriers("440100")["id"].iloc[0])
    edit_carrier(store, carrier_id, {"contact": "020-1234"}, actor="t")  # a change to show in the history
    with store.engine.begin() as conn:
        conn.execute(update(schema.changesets).values(actor="\x1b[2J\x1b[31mroot\u202egnp.exe\x9b"))
    code, out, _ = _run(capsys, "--database", db_url, "history", "--carrier", str(carrier_id))
    assert code == 0
    assert "\x1b" not in out and "\u202e" not in out and "\x9b" not in out
    assert "<U+001B>[2J" in out and "<U+202E>" in out
    code, out, _ = _run(capsys, "--database", db_url, "history", "--carrier", str(carrier_id), "--format", "json")
    assert code == 0 and "\u202e" not in out and "\x9b" not in out
    actors = {row["actor"] for row in json.loads(out)["rows"]}
    assert "\x1b[2J\x1b[31mroot\u202egnp.exe\x9b" in actors  # JSON keeps the data, escaped


def test_no_traceback_from_a_real_process(cli_env):
    out = subprocess.run([sys.executable, "-m", "carriermap", "undo", HUGE], capture_output=True, text=True,
                         env=cli_env, timeout=300)
    assert out.returncode == 2 and "Traceback" not in out.stderr and out.stderr.count("\n") == 1
