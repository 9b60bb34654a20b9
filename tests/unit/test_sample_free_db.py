"""A deployment with real data only: the setting, ``db init --no-samples``, and no refill afterwards."""

import json
import subprocess
import sys

from carriermap.settings import sample_data_enabled
from carriermap.store import Store
from carriermap.store.seed import load_bundled_features, load_bundled_targets


def test_setting_from_environment_then_secrets_file(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('sample_data = false\n', encoding="utf-8")
    assert sample_data_enabled({}, []) is True  # default: the bundled samples, labelled
    assert sample_data_enabled({"CARRIERMAP_SAMPLE_DATA": "0"}, []) is False
    assert sample_data_enabled({"CARRIERMAP_SAMPLE_DATA": "off"}, []) is False
    assert sample_data_enabled({}, [secrets]) is False
    assert sample_data_enabled({"CARRIERMAP_SAMPLE_DATA": "1"}, [secrets]) is True  # the environment wins
    broken = tmp_path / "broken.toml"
    broken.write_text("sample_data = = nope", encoding="utf-8")
    assert sample_data_enabled({}, [broken]) is True


def _cli(url, *args, env_extra=None):
    import os

    env = {key: value for key, value in os.environ.items() if key != "CARRIERMAP_SAMPLE_DATA"}
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "carriermap", "--database", url, *args], capture_output=True,
                          env=env, timeout=120)


def test_db_init_no_samples_fills_only_sourced_records_and_never_refills(blank_db_url):
    result = _cli(blank_db_url, "db", "init", "--no-samples")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["filled"] is True and report["samples"] == 0
    store = Store.open(blank_db_url)  # opened later without the setting: must not add the samples now
    assert not store.carriers()["is_sample"].any()
    real_features = {f["name"] for f in load_bundled_features() if not f["is_sample"]}
    assert {f["name"] for f in store.features()} == real_features and real_features
    real_targets = [t for t in load_bundled_targets() if not t["is_sample"]]
    targets = store.targets()
    assert len(targets) == len(real_targets) and not targets["is_sample"].any()
    assert {"广州科技创新走廊", "东湖高新区"} <= real_features
    again = json.loads(_cli(blank_db_url, "db", "init").stdout)
    assert again["filled"] is False and store.carriers()["is_sample"].sum() == 0
    store.engine.dispose()


def test_setting_makes_a_new_database_sample_free(blank_db_url):
    result = _cli(blank_db_url, "metrics", "--city", "440100", env_extra={"CARRIERMAP_SAMPLE_DATA": "0"})
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert sum(row["carriers"] for row in payload["rows"]) == 0
    assert [t["metric"] for t in payload["targets"]] == ["maker_spaces"]
    assert not any(t["is_sample"] for t in payload["targets"])


def test_default_database_keeps_the_labelled_samples(blank_db_url):
    result = _cli(blank_db_url, "db", "init")
    assert json.loads(result.stdout)["samples"] > 0
