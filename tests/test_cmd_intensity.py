"""`lingtan intensity` end to end: fields, classes by hand, colours, PNG, styles, no data."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pyogrio
import pytest

from app.cli import main
from gis.paths import sample_dir
from layers.style import FIVE_COLOURS, NO_DATA_COLOUR

PARK = sample_dir() / "park.gpkg"
STATS = sample_dir() / "township_stats.csv"


def _run(tmp_path, *extra, stats=STATS):
    out = tmp_path / "i.gpkg"
    code = main(["intensity", str(PARK), "--layer", "townships", "--stats", str(stats), "--out", str(out),
                 *extra])
    return code, out


def test_ratio_classes_by_hand_and_outputs(tmp_path, capsys):
    code, out = _run(tmp_path, "--png", str(tmp_path / "m.png"), "--qml", str(tmp_path / "s.qml"),
                     "--sld", str(tmp_path / "s.sld"), "--json")
    assert code == 0
    s = json.loads(capsys.readouterr().out)
    g = pyogrio.read_dataframe(out, layer="intensity")
    for col in ("t_co2", "intensity", "k_ratio", "class", "colour", "method"):
        assert col in g.columns
    # by hand: benchmark = Σ CO2 / Σ GDP of the map; K = intensity / benchmark; lower < K ≤ upper
    bench = g["t_co2"].sum() / g["gdp_10k_yuan"].sum()
    k = g["t_co2"] / g["gdp_10k_yuan"] / bench
    expected = np.searchsorted([0.6, 0.8, 1.2, 2.0], k.to_numpy(), side="left") + 1
    np.testing.assert_array_equal(g["class"].to_numpy(), expected)
    np.testing.assert_allclose(g["k_ratio"], k, rtol=1e-9)
    assert list(g["colour"]) == [FIVE_COLOURS[c - 1] for c in g["class"]]
    assert s["classification"]["counts"] == [int((g["class"] == c).sum()) for c in range(1, 6)]
    # the style files carry the five colours; the PNG shows them
    qml = ET.parse(tmp_path / "s.qml").getroot()
    text = ET.tostring(qml, encoding="unicode").lower()
    ET.parse(tmp_path / "s.sld")
    from PySide6.QtGui import QImage

    img = QImage(str(tmp_path / "m.png"))
    assert img.width() == 2000
    seen = {img.pixelColor(x, y).name() for x in range(0, img.width(), 7) for y in range(0, img.height(), 7)}
    for c in sorted(set(g["class"])):
        colour = FIVE_COLOURS[c - 1].lower()
        assert colour in seen
        r, gg, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
        assert colour in text or f"{r},{gg},{b}" in text


def test_missing_gdp_is_no_data_grey(tmp_path, capsys):
    stats = pd.read_csv(STATS, encoding="utf-8-sig")
    stats.loc[stats["乡镇街道名称"] == "临浦街道", "地区生产总值(万元)"] = 0.0
    p = tmp_path / "s.csv"
    stats.to_csv(p, index=False, encoding="utf-8-sig")
    code, out = _run(tmp_path, stats=p)
    assert code == 0
    g = pyogrio.read_dataframe(out, layer="intensity").set_index("name")
    assert g.at["临浦街道", "class"] == 0 and g.at["临浦街道", "colour"] == NO_DATA_COLOUR


def test_fixed_and_quantile_methods(tmp_path, capsys):
    code, out = _run(tmp_path, "--method", "fixed", "--thresholds", "0.05,0.1,0.15,0.2", "--json")
    assert code == 0
    g = pyogrio.read_dataframe(out, layer="intensity")
    expected = np.searchsorted([0.05, 0.1, 0.15, 0.2], g["intensity"].to_numpy(), side="left") + 1
    np.testing.assert_array_equal(g["class"].to_numpy(), expected)
    capsys.readouterr()
    code, out = _run(tmp_path, "--method", "quantile")
    g = pyogrio.read_dataframe(out, layer="intensity")
    assert code == 0 and sorted(g["class"].value_counts().to_list()) == [5, 5, 5, 5, 6]  # 26 in fifths


@pytest.mark.parametrize("extra", [["--method", "fixed"], ["--method", "fixed", "--thresholds", "1,2"],
                                   ["--method", "target"]])
def test_bad_method_options_exit_2(tmp_path, capsys, extra):
    code, out = _run(tmp_path, *extra)
    assert code == 2 and not out.exists()
    assert "Internal error" not in capsys.readouterr().err


def test_user_palette_is_used_and_checked(tmp_path, capsys):
    reds_and_greens = "#1a9850,#2c7bb6,#fee08b,#fc8d59,#d73027"  # green vs orange close for protanopes
    code, out = _run(tmp_path, "--colours", reds_and_greens, "--json")
    assert code == 0
    s = json.loads(capsys.readouterr().out)
    g = pyogrio.read_dataframe(out, layer="intensity")
    assert set(g["colour"]) <= set(reds_and_greens.split(","))
    assert any(p["code"] == "intensity.palette" for p in s["problems"])
    assert _run(tmp_path, "--colours", "#fff,#000")[0] == 2


def test_a_table_that_matches_no_township_says_so(tmp_path, capsys):
    code, out = _run(tmp_path, stats=sample_dir() / "enterprises_energy.csv")
    assert code == 2 and not out.exists()
    err = capsys.readouterr().err
    n_rows = len(pd.read_csv(sample_dir() / "enterprises_energy.csv", encoding="utf-8-sig"))
    assert "没有一行与乡镇匹配" in err and "E001, E002" in err
    assert f"None of the {n_rows} statistics rows" in err
