"""Typed results: a saved summary gives back the classification it was made from, and saved
results are ParkResults with their layers and no computed objects."""

from __future__ import annotations

import numpy as np

from app.results import ParkResults


def test_classification_round_trips_through_its_summary():
    from app.intensity_map import intensity_map
    from gis.intensity.classify import Classification
    from gis.park import load_sample_park

    park = load_sample_park()
    c = intensity_map(park.townships, park.township_stats).classification
    back = Classification.from_dict(c.to_dict())
    assert back.to_dict() == c.to_dict()
    assert np.allclose(back.breaks, c.breaks) and back.labels_zh == c.labels_zh
    assert len(back.classes) == 0  # per-township arrays are not part of a summary


def test_saved_results_are_park_results_without_computed_objects():
    import geopandas as gpd
    import shapely

    layer = gpd.GeoDataFrame({"kwh_yr": [1.0]}, geometry=[shapely.box(0, 0, 1, 1)], crs=4547)
    r = ParkResults.from_saved({"pv": {"kwh_yr": 1.0}}, {"rooftop_pv": layer})
    assert r.park is None and r.pv is None and r.account is None
    assert list(r.layers()) == ["rooftop_pv"] and r.summary["pv"]["kwh_yr"] == 1.0


def test_intensity_summary_counts_the_maps_no_data_townships():
    """A township without statistics is grey on the map: the summary's no-data count is the map's."""
    from app.intensity_map import intensity_map
    from gis.park import load_sample_park

    park = load_sample_park()
    stats = park.township_stats
    code = "乡镇街道代码"  # the sample's statistics: one row per township and year
    dropped = stats[stats[code] != stats[code].iloc[0]]
    m = intensity_map(park.townships, dropped)
    s = m.summary()["classification"]
    grey = int((m.layer["class"] == 0).sum())
    assert grey >= 1 and s["no_data"] == grey
    assert sum(s["counts"]) + s["no_data"] == len(m.layer) == len(park.townships)
