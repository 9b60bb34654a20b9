"""The benchmark sections' own code paths run on a small store (a bench that breaks is found here,
not in the middle of an hour-long run)."""

from carriermap.bench.postgis_bench import _metrics_rows


def test_postgis_bench_metrics_read_what_unit_metrics_needs(store):
    rows = _metrics_rows("sqlite", store, "440100")
    assert [row["what"].split(",")[0] for row in rows][:2] == ["metrics 440100"] * 2
    assert rows[0]["carriers"] == rows[1]["carriers"] > 300
    assert next(row for row in rows if "same_as_unit_metrics" in row)["same_as_unit_metrics"] is True
