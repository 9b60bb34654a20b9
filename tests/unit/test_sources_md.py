"""data/SOURCES.md stays true line by line: its checks hold on the bundled files, its numbers are
the checked ones, the paths it names exist, and the seeds are described as what they are."""

import csv
import json
import re

import pytest

from carriermap import provenance
from carriermap.paths import CARRIERS_FILE, DATA_DIR, FACTS_FILE, FEATURES_FILE, PROJECT_DIR, TARGETS_FILE

SOURCES = (DATA_DIR / "SOURCES.md").read_text(encoding="utf-8")
CHECK = re.compile(r"^(?P<op>count|sum:\w+|target:\w+|targets|fact|feature) (?P<city>\d{6})(?P<args>.*?) "
                   r"(?P<cmp>=|>|>=) (?P<expected>\S+)$")


def _rows(path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


CARRIERS, TARGETS, FACTS = _rows(CARRIERS_FILE), _rows(TARGETS_FILE), _rows(FACTS_FILE)
FEATURES = [f["properties"] for f in json.loads(FEATURES_FILE.read_text(encoding="utf-8"))["features"]]


def figure_rows() -> list[tuple[str, str, list[str]]]:
    """(figure, value text, checks) of every row of the Figures table."""
    section = SOURCES.split("## Figures", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 4 or cells[0] in ("figure", "---") or set(cells[0]) <= {"-"}:
            continue
        rows.append((cells[0], cells[1], re.findall(r"`([^`]+)`", cells[2])))
    return rows


def _matches(record: dict, filters: list[str]) -> bool:
    for item in filters:
        key, value = item.split("=", 1)
        found = re.fullmatch(r"kind\((\w+)\)", key)
        actual = provenance.kind_of(record.get("provenance"), found.group(1)) if found else record.get(key)
        if str(actual or "") != value:
            return False
    return True


def evaluate(check: str) -> tuple[object, str, str]:
    """The value a check computes, its comparison and the expected text."""
    parsed = CHECK.match(check)
    assert parsed, f"unreadable check: {check}"
    op, city, args = parsed["op"], parsed["city"], parsed["args"].split()
    if op == "count" or op.startswith("sum:"):
        chosen = [r for r in CARRIERS if r["city_adcode"] == city and _matches(r, args)]
        value = len(chosen) if op == "count" else sum(float(r[op[4:]] or 0) for r in chosen)
    elif op.startswith("target:"):
        values = [float(r["value"]) for r in TARGETS if r["city_adcode"] == city and not r["unit"]
                  and r["metric"] == op[7:]]
        assert len(values) == 1, check
        value = values[0]
    elif op == "targets":
        flags = [a.split("=", 1) for a in args]
        value = sum(all(r[k] == v for k, v in flags) for r in TARGETS if r["city_adcode"] == city)
    elif op == "fact":
        values = [r["value"] for r in FACTS if r["city_adcode"] == city and r["metric"] == args[0]]
        assert parsed["expected"] in values, f"{check}: facts hold {values}"
        value = float(parsed["expected"]) if re.fullmatch(r"[\d.]+", parsed["expected"]) else parsed["expected"]
    else:
        value = sum(f["name"] == " ".join(args) for f in FEATURES if f["city_adcode"] == city)
    return value, parsed["cmp"], parsed["expected"]


ROWS = figure_rows()


def test_the_figures_table_is_read_whole():
    assert len(ROWS) >= 25 and all(checks for _, _, checks in ROWS), [f for f, _, c in ROWS if not c]


@pytest.mark.parametrize(("figure", "text", "checks"), ROWS, ids=[row[0] for row in ROWS])
def test_each_figure_holds_in_the_data_and_says_the_checked_number(figure, text, checks):
    for check in checks:
        value, comparison, expected = evaluate(check)
        if re.fullmatch(r"[\d.]+", expected):
            number = float(expected)
            assert {"=": value == number, ">": value > number, ">=": value >= number}[comparison], \
                f"{figure}: {check} but the data gives {value}"
            if check.startswith("feature"):
                continue  # a feature's existence: its name is the figure
            spelled = {expected, f"{number:,.0f}" if number.is_integer() else expected}
            assert any(re.search(rf"(?<![\d.,]){re.escape(s)}(?![\d]|,\d)", text) for s in spelled), \
                f"{figure}: {expected} not said in {text!r}"


def test_no_unsourced_claims_from_the_old_text():
    assert "other 134 unrated" not in SOURCES
    assert "(Chinese government documents)" not in SOURCES
    assert re.search(r"004 \|[^\n]*company's website[^\n]*not a government document", SOURCES)
    assert "GCJ-02** as shown on Amap" in SOURCES and "converted to\nWGS-84 by the build" in SOURCES


def test_every_path_it_names_exists():
    paths = set(re.findall(r"`((?:data|geo|src|tests)/[^`\s]+)`", SOURCES))
    assert {"data/build_sample_data.py", "geo/districts.geojson"} <= paths
    assert [p for p in paths if not (PROJECT_DIR / p).exists()] == []
    assert "../shared" not in SOURCES


def test_stated_simplification_is_the_committed_one():
    districts = json.loads((PROJECT_DIR / "geo" / "districts.geojson").read_text(encoding="utf-8"))["features"]
    worst = max(f["properties"]["hausdorff_m"] for f in districts)
    stated = re.search(r"the largest is ([\d.]+) m", SOURCES)
    assert stated and float(stated.group(1)) == worst
