"""The carbon-flow Sankey: flows conserve, equal the accounting run in the test, the layout stacks
bands inside their nodes, and the PNG has coloured bands where the layout puts them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from PySide6.QtGui import QColor

from app.charts.energy_charts import chart_image
from app.charts.sankey_chart import BAND_ALPHA, node_colour, sankey_chart
from gis.carbon.emissions import account_emissions
from gis.carbon.factors import load_factor_set
from gis.carbon.inventory import read_energy_inventory
from gis.carbon.sankey import carbon_flows, node_balance, sankey_layout
from gis.carbon.trends import compute_trends
from gis.errors import InputError
from gis.paths import sample_dir

KGCE_PER_KWH = 0.1229  # GB/T 2589-2020, calorific equivalent of electricity
SECTOR_OF_CODE = {"C": "industry", "H": "buildings", "S": "buildings", "G": "transport", "D": "energy_supply"}


def _table(green: bool = True) -> pd.DataFrame:
    rows = [("E1", "C17", 2023, 100.0, 50.0, 10.0, 20.0, 300.0, 0.0),
            ("E2", "H61", 2023, 0.0, 5.0, 2.0, 0.0, 0.0, 0.0),
            ("E3", "G54", 2023, 0.0, 0.0, 0.5, 80.0, 0.0, 0.0),
            ("E4", "D4411", 2023, 3000.0, 0.0, 1.0, 0.0, 0.0, 500.0)]
    df = pd.DataFrame(rows, columns=["企业代码", "行业代码", "年份", "原煤(吨)", "天然气(万立方米)",
                                     "电力(万千瓦时)", "柴油(吨)", "碳汇(吨二氧化碳)", "CCS(吨二氧化碳)"])
    if green:
        df["绿电(万千瓦时)"] = [4.0, 0.0, 0.0, 0.0]
    return df


def _flows(df=None, **kw):
    f = load_factor_set()
    inv = read_energy_inventory(_table() if df is None else df, source_name="t.csv", factors=f)
    one = account_emissions(inv, f, year=2023)
    t = compute_trends(account_emissions(inv, f, year="all"))
    return one, carbon_flows(t, **kw)


def _sum(links, **where) -> float:
    sel = np.ones(len(links), bool)
    for k, v in where.items():
        sel &= (links[k] == v).to_numpy()
    return float(links.loc[sel, "value"].sum())


def test_flows_conserve_and_equal_the_accounting():
    one, s = _flows(onsite_kwh=2e5, extra_sinks_t_co2=100.0)
    bal = node_balance(s)
    both = bal.dropna(subset=["balance_pct"])
    assert len(both) >= 1 and (both["balance_pct"].abs() < 0.01).all()
    total = one.total(2023)
    links = s.links
    # every fuel's tce reaches the sectors; sectors' CO2 reaches the gross node; all equal the accounting
    fuel_out = links[links["source"].str.startswith("fuel:")]["value"].sum()
    assert fuel_out == pytest.approx(total["tce"], rel=1e-4)
    assert _sum(links, target="gross") == pytest.approx(total["t_co2"], rel=1e-4)
    ent = one.entities.assign(s=one.entities["sector_code"].str[0].map(SECTOR_OF_CODE))
    for sector, rows in ent.groupby("s"):
        assert _sum(links, target=f"sector:{sector}", unit="tce") - _sum(links, source="onsite",
                                                                           target=f"sector:{sector}") \
            == pytest.approx(rows["tce"].sum(), rel=1e-4)
        assert _sum(links, source=f"sector:{sector}") == pytest.approx(rows["t_co2"].sum(), rel=1e-4)
    # on-site: 200,000 kWh at 0.1229 kgce/kWh, split by purchased electricity 10 : 2 : 0.5 : 1
    onsite = 2e5 * KGCE_PER_KWH / 1000
    assert _sum(links, source="onsite") == pytest.approx(onsite, rel=1e-9)
    buildings = _sum(links, source="onsite", target="sector:buildings")
    assert buildings == pytest.approx(onsite * 2 / 13.5, rel=1e-9)
    # deductions: green 4 × 10^4 kWh at the accounting's grid factor, sinks 300 + 100, CCS 500
    grid = one.grid_kg_co2_per_kwh / 1000
    assert _sum(links, target="green") == pytest.approx(4e4 * grid, rel=1e-9)
    assert _sum(links, target="sinks") == pytest.approx(400.0, rel=1e-9)
    assert _sum(links, target="ccs") == pytest.approx(500.0, rel=1e-9)
    assert _sum(links, target="net") == pytest.approx(total["t_co2"] - 4e4 * grid - 900.0, rel=1e-9)
    d = s.to_dict()
    assert {"source", "target", "value", "unit"} == set(d["links"][0])
    assert {n["key"] for n in d["nodes"]} >= {"gross", "net", "sector:transport"}


def test_deductions_beyond_emissions_enter_as_their_own_flow():
    df = _table(green=False)
    df["碳汇(吨二氧化碳)"] = [1e6, 0, 0, 0]
    one, s = _flows(df)
    assert _sum(s.links, target="net") == 0.0
    assert _sum(s.links, source="surplus") == pytest.approx(1e6 + 500 - one.total(2023)["t_co2"], rel=1e-9)
    both = node_balance(s).dropna(subset=["balance_pct"])
    assert (both["balance_pct"].abs() < 0.01).all()


def test_year_and_inputs_checked():
    with pytest.raises(InputError):
        _flows(year=2019)
    with pytest.raises(InputError):
        _flows(onsite_kwh=-1.0)


def test_layout_stacks_bands_inside_their_nodes():
    _, s = _flows(onsite_kwh=2e5)
    lay = sankey_layout(s, 600.0, 400.0, node_width=10.0, gap=5.0)
    nodes = lay.nodes.set_index("key")
    assert (lay.nodes["y0"] >= -1e-6).all() and (lay.nodes["y1"] <= 400 + 1e-6).all()
    for key, n in nodes.iterrows():
        for side, end in (("source", "ys0"), ("target", "ys1")):
            bands = lay.links[lay.links[side] == key].sort_values(end)
            if bands.empty:
                continue
            # contiguous from the node's top, within its height
            assert bands[end].iloc[0] == pytest.approx(n["y0"])
            assert np.allclose(bands[end].to_numpy()[1:], (bands[end] + bands["width"]).to_numpy()[:-1])
            assert bands[end].iloc[-1] + bands["width"].iloc[-1] <= n["y1"] + 1e-6
    # widths are proportional to the values within one unit
    tce = lay.links[lay.links["unit"] == "tce"]
    assert np.allclose(tce["width"] / tce["value"], lay.scale["tce"])
    # columns left to right
    assert list(nodes.loc[["fuel:raw_coal", "sector:industry", "gross", "net"], "x0"]) == sorted(
        nodes.loc[["fuel:raw_coal", "sector:industry", "gross", "net"], "x0"])


def test_png_has_coloured_bands_where_the_layout_puts_them():
    _, s = _flows()
    geo = []
    img = chart_image(lambda p, r: geo.append(sankey_chart(p, r, s, "zh")), 1000, 600)
    lay = geo[0].layout
    assert lay is not None
    widest = lay.links.sort_values("width").iloc[-1]
    # the ribbon's edges are cubics with control points at mid-x: at mid-x they are at mid-height
    x = (widest["x0"] + widest["x1"]) / 2
    y = (widest["ys0"] + widest["ys1"]) / 2 + widest["width"] / 2
    kinds = dict(zip(s.nodes["key"], s.nodes["kind"], strict=True))
    want = QColor(node_colour(widest["source"], kinds[widest["source"]]))
    # the source colour at BAND_ALPHA over white
    blend = [255 + BAND_ALPHA * (c - 255) for c in (want.red(), want.green(), want.blue())]
    got = img.pixelColor(int(x), int(y))
    assert np.allclose([got.red(), got.green(), got.blue()], blend, atol=25), (got.name(), blend)
    # a node box has its own colour, and the page above the plot is white
    n = lay.nodes.set_index("key").loc["gross"]
    box = img.pixelColor(int((n["x0"] + n["x1"]) / 2), int((n["y0"] + n["y1"]) / 2))
    assert box.name() == node_colour("gross", "co2")
    assert img.pixelColor(int(x), int(geo[0].plot.top()) - 2).name() == "#ffffff" or \
        lay.links["ys0"].min() > geo[0].plot.top() + 3


@pytest.mark.skipif(not (sample_dir() / "enterprises_energy.csv").exists(), reason="no sample table")
def test_sample_park_sankey_conserves():
    from gis.io.tables import read_data_table

    df, _ = read_data_table(sample_dir() / "enterprises_energy.csv")
    one, s = _flows(df, year=2023, onsite_kwh=1e7)
    both = node_balance(s).dropna(subset=["balance_pct"])
    assert (both["balance_pct"].abs() < 0.01).all()
    assert _sum(s.links, target="gross") == pytest.approx(one.total(2023)["t_co2"], rel=1e-4)
