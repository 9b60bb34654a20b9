"""Catalogues: zh and en have the same keys; every code has a label in both."""

import re
from pathlib import Path

from carriermap import codes
from carriermap.i18n import LANGUAGES, catalogue, label, t

ROOT = Path(__file__).resolve().parents[2]


def test_zh_and_en_have_the_same_keys():
    zh, en = set(catalogue("zh")), set(catalogue("en"))
    assert zh - en == set(), f"missing in en: {sorted(zh - en)}"
    assert en - zh == set(), f"missing in zh: {sorted(en - zh)}"


def test_every_code_has_a_label():
    for vocabulary, values in codes.VOCABULARIES.items():
        for code in values:
            for lang in LANGUAGES:
                assert label(vocabulary, code, lang) != code or vocabulary == "rating", (vocabulary, code, lang)


def test_labels():
    assert label("type", "incubator", "zh") == "孵化器"
    assert label("type", "maker_space", "en") == "Maker space"
    assert t("app.title", "zh") == "创新载体地图"


def test_every_key_used_in_code_exists():
    used = set()
    pattern = re.compile(r"""\bt\(\s*["']([a-z_]+(?:\.[a-z0-9_]+)+)["']""")
    for path in [*ROOT.joinpath("src").rglob("*.py"), *ROOT.joinpath("pages").glob("*.py"), ROOT / "app.py"]:
        used |= set(pattern.findall(path.read_text(encoding="utf-8")))
    missing = sorted(key for key in used if key not in catalogue("zh"))
    assert not missing, missing
