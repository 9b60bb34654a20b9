"""The districts page's kept chart specs: the spec Streamlit would draw from the Altair chart, built once."""

import pandas as pd
import pytest

from carriermap import charts
from carriermap.districts.metrics import unit_metrics
from carriermap.ui import chart_specs


def _without_data(spec: dict) -> dict:
    return {k: v for k, v in spec.items() if k not in ("datasets", "data")}


@pytest.mark.parametrize("builder", ["comparison_bars", "mix_bars"])
def test_kept_spec_is_what_streamlit_draws_from_the_chart(store, builder):
    from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

    rows = unit_metrics(store.carriers("420100"), "420100", "reporting_unit")
    args = (("carriers", "单位", "载体", "count") if builder == "comparison_bars"
            else ({"type_incubator": "孵化器", "type_maker_space": "众创空间"}, "单位", "家"))
    chart = getattr(charts, builder)(rows, *args)
    ours, theirs = chart_specs.to_spec(chart), _convert_altair_to_vega_lite_spec(chart)
    assert _without_data(ours) == _without_data(theirs)
    assert "config" not in ours or "continuousWidth" not in ours["config"].get("view", {})
    (values,) = ours["datasets"].values()
    assert len(values) > 0


def test_theme_values_are_taken_out_and_the_rest_kept():
    theme = {"config": {"view": {"continuousWidth": 300, "continuousHeight": 300}}}
    spec = {"mark": "bar", "config": {"view": {"continuousWidth": 300, "stroke": None}, "axis": {"grid": False}}}
    assert chart_specs.without_theme(spec, theme) == {"mark": "bar", "config": {"view": {"stroke": None},
                                                                                "axis": {"grid": False}}}
    assert chart_specs.without_theme({"config": {"view": {"continuousWidth": 300}}}, theme) == {}
    assert chart_specs.without_theme({"config": {"view": {"continuousWidth": 500}}}, theme) == {
        "config": {"view": {"continuousWidth": 500}}}


def test_only_the_page_charts_are_built():
    with pytest.raises(ValueError):
        chart_specs.chart_spec.__wrapped__("to_dict", pd.DataFrame())
