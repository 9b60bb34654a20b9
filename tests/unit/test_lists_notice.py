"""Official notices: names matched to the register, levels set in one undoable change set."""

import json
import subprocess
import sys
from pathlib import Path

from carriermap.location import state_of
from carriermap.notices import commit_notice, plan_notice

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "notice_national_2023.csv"
NOTICE = "国科发区〔2023〕x号"


def _plan(store, **extra):
    return plan_notice(store, FIXTURE, level="national", notice=NOTICE, date="2023-12-29", city="440100", **extra)


def test_the_preview_sorts_names_into_exact_similar_unmatched_and_missing(store):
    plan = _plan(store)
    assert plan.ok, plan.problems
    assert [m.row.row for m in plan.exact] == [3, 4]  # rows as numbered in the file (title and header above)
    [(row, candidates)] = plan.similar
    assert row.name == "天河机械制造科技企业孵化器" and all("天河机械制造" in c.name for c in candidates)
    unmatched = {u.row.row: u for u in plan.unmatched}
    assert unmatched[6].addable and unmatched[6].district_adcode == "440115"  # 广东省广州市南沙区
    assert not unmatched[7].addable  # 北京市海淀区: not a covered city
    held = store.carriers("440100")
    holders = held[(held["level"] == "national") & (held["type"] == "incubator") & (held["status"] != "delisted")]
    assert {int(c["id"]) for c in plan.missing} == set(holders["id"]) - {m.carrier["id"] for m in plan.exact}


def test_applying_writes_one_change_set_that_undo_reverses(store):
    plan = _plan(store)
    similar_row, candidates = plan.similar[0]
    before = {m.carrier["id"]: store.carrier(m.carrier["id"]) for m in plan.exact}
    missing_before = {c["id"]: store.carrier(c["id"])["version"] for c in plan.missing}
    changeset = commit_notice(store, plan, "t", confirm={similar_row.row: candidates[1].carrier_id},
                              add_unplaced={6})
    touched = store.history(changeset_id=changeset)
    assert set(touched["changeset_id"]) == {changeset}
    for carrier_id in [*before, candidates[1].carrier_id]:
        record = store.carrier(carrier_id)
        assert (record["level"], record["level_notice"], record["level_notice_date"]) == (
            "national", NOTICE, "2023-12-29")
    added = store.carriers("440100")
    added = added[added["name"] == "南沙海洋科技企业孵化器(测试新增)"].iloc[0]
    assert state_of(added) == "unplaced" and added["district_adcode"] == "440115" and added["level"] == "national"
    assert {c: store.carrier(c)["version"] for c in missing_before} == missing_before  # listed, not changed
    store.undo(changeset, actor="t")
    for carrier_id, record in before.items():
        assert store.carrier(carrier_id)["level"] == record["level"]
    assert store.carrier(candidates[1].carrier_id)["level_notice"] != NOTICE


def test_a_carrier_holding_a_newer_notice_keeps_it(store):
    plan = _plan(store)
    first = plan.exact[0].carrier["id"]
    from carriermap.versions import edit_carrier

    edit_carrier(store, first, {"level_notice": "newer", "level_notice_date": "2024-06-01"}, actor="t")
    plan = _plan(store)
    kept = {m.carrier["id"]: m.kept_newer for m in plan.exact}
    assert kept[first] is True
    commit_notice(store, plan, "t")
    assert store.carrier(first)["level_notice"] == "newer"


def test_bad_level_or_date_is_refused_naming_the_option(store):
    plan = plan_notice(store, FIXTURE, level="超级", notice="", date="2023/13/40")
    assert {p.column for p in plan.problems} == {"--level", "--notice", "--date"}


def test_cli_dry_run_then_apply(cli_env):
    base = [sys.executable, "-m", "carriermap", "--lang", "en", "notice", "apply", str(FIXTURE), "--level", "国家级",
            "--notice", NOTICE, "--date", "2023-12-29", "--city", "440100", "--format", "json"]
    dry = subprocess.run([*base, "--dry-run"], capture_output=True, env=cli_env, timeout=300)
    assert dry.returncode == 0, dry.stderr.decode()
    report = json.loads(dry.stdout)
    assert report["counts"]["exact"] == 2 and not report["written"]
    done = subprocess.run([*base, "--add-unplaced", "all"], capture_output=True, env=cli_env, timeout=300)
    report = json.loads(done.stdout)
    assert report["written"] and report["changeset"]
    bad = subprocess.run([*base, "--add-unplaced", "99"], capture_output=True, env=cli_env, timeout=300)
    assert bad.returncode == 2 and "99" in bad.stderr.decode()
