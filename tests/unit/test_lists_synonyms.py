"""The words real lists use for types and levels, kept as data that admins extend."""

from carriermap.importing import synonyms
from carriermap.importing.synonyms import apply_synonyms, nearest_labels, resolve


def test_real_type_words_mean_a_type_and_sometimes_a_level_or_specialisation():
    assert resolve("type", "综合孵化器") == {"type": "incubator", "specialisation": "comprehensive"}
    assert resolve("type", "众创空间(专业化)") == {"type": "maker_space", "specialisation": "specialized"}
    assert resolve("type", "国家级孵化器培育单位") == {"type": "incubator", "level": "national_cultivation"}
    for word, code in (("企业孵化器", "incubator"), ("创客空间", "maker_space"), ("星创天地", "maker_space"),
                       ("留学人员创业园", "incubator"), ("科技园区", "tech_park"), ("港澳台孵化器", "incubator"),
                       ("大学科技园", "university_park"), ("Incubator", "incubator")):
        assert resolve("type", word)["type"] == code, word


def test_a_value_the_row_gives_wins_over_what_the_type_word_implies():
    raw, present = {"type": "国家级科技企业孵化器", "level": "省级", "specialisation": ""}, {"type", "level"}
    assert apply_synonyms(raw, present) == []
    assert raw == {"type": "incubator", "level": "provincial", "specialisation": ""}
    raw = {"type": "专业孵化器", "level": ""}
    apply_synonyms(raw, set())
    assert raw["specialisation"] == "specialized"


def test_unknown_label_names_the_nearest_known_ones():
    raw = {"type": "科技企业孵化中心"}
    [(field, text, nearest)] = apply_synonyms(raw, {"type"})
    assert (field, text) == ("type", "科技企业孵化中心") and "科技企业孵化器" in nearest
    assert nearest_labels("level", "国家级别")[0] == "国家级"


def test_admins_extend_the_file(tmp_path, monkeypatch):
    extended = tmp_path / "type_synonyms.csv"
    extended.write_text(synonyms.SYNONYMS_FILE.read_text(encoding="utf-8") + "双创基地,innovation base,incubator,,,\n",
                        encoding="utf-8")
    assert resolve("type", "双创基地") is None
    monkeypatch.setattr(synonyms, "SYNONYMS_FILE", extended)
    assert resolve("type", "双创基地") == {"type": "incubator"}
