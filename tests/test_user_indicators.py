"""User indicator sets from a file decide pass/fail as by hand; bad files are refused with codes;
facts, the emissions cap and the boundary the CO2 indicators name (issue #20)."""

from __future__ import annotations

import pandas as pd
import pytest

from gis.carbon.balance import BalanceInputs, Scenario, park_balance
from gis.carbon.indicators import check_indicators
from gis.carbon.park_carbon import park_carbon
from gis.carbon.user_indicators import (
    KNOWN_METRICS,
    emissions_cap_row,
    read_facts,
    read_indicator_set,
)
from gis.errors import InputError
from gis.paths import resources_dir

HEADER = "指标名称,metric,比较符,阈值,单位,来源\n"


def _write(tmp_path, body: str, name: str = "city.csv"):
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def _inputs(**kw) -> BalanceInputs:
    # 1 GWh of grid power at 0.5 kgCO2/kWh = 500 tCO2, 122.9 tce; 100 t clinker = 52 tCO2 process
    by_fuel = pd.DataFrame({"fuel": ["electricity", "clinker"], "scope": [2, 1], "amount": [1e6, 100.0],
                            "unit": ["kWh", "t"], "tce": [122.9, 0.0], "t_co2": [500.0, 52.0]})
    return BalanceInputs(by_fuel=by_fuel, grid_kg_co2_per_kwh=500.0, **kw)


def test_user_set_from_a_file_decides_as_by_hand(tmp_path):
    path = _write(tmp_path, "碳排放总量上限,t_co2_total,<=,552,tCO2,市文件\n"
                            "单位能耗碳排放,t_co2_per_tce,<,4.49,tCO2/tce,市文件\n"
                            "充电设施,charger_enterprise_pct,≥,15,%,四川试点\n"
                            "绿地率,green_land_rate_pct,=,20,%,市文件\n"
                            "绿化覆盖率,green_coverage_pct,>,30,%,市文件\n")
    table = read_indicator_set(path)
    assert list(table["comparator"]) == ["<=", "<", ">=", "==", ">"]
    inputs = _inputs(facts={"charger_enterprise_pct": 12.0}, park_area_km2=0.01, green_land_m2=2000.0)
    pc = park_carbon(inputs, indicator_table=table, scenarios=[Scenario("现状", pv_share=0.0)])
    got = pc.indicators.set_index("metric")
    # by hand: total 500 + 52 = 552 ≤ 552 passes at the threshold; 552 / 122.9 = 4.4915 is not < 4.49;
    # chargers 12 % < 15 %; green land 2000 m² of 10 000 m² = 20 % == 20; no green cover given
    assert got.at["t_co2_total", "value"] == pytest.approx(552.0)
    assert got.at["t_co2_per_tce", "value"] == pytest.approx(552 / 122.9)
    assert got["status"].to_dict() == {"t_co2_total": "pass", "t_co2_per_tce": "fail",
                                       "charger_enterprise_pct": "fail", "green_land_rate_pct": "pass",
                                       "green_coverage_pct": "no data"}
    assert got.at["t_co2_total", "boundary"].startswith("范围一")  # CO2 metrics name their boundary
    assert got.at["charger_enterprise_pct", "boundary"] == ""
    assert pc.summary()["indicator_set"] == "city"


def test_emissions_cap_row_at_and_over_the_cap():
    table = emissions_cap_row(1000.0, source="某市下达")
    assert check_indicators({"t_co2_total": 1000.0}, "user", table=table)["status"].item() == "pass"
    assert check_indicators({"t_co2_total": 1000.1}, "user", table=table)["status"].item() == "fail"


@pytest.mark.parametrize(("body", "code", "needle"), [
    ("总量,t_co2_everything,<=,1,t,x\n", "indicators.unknown_metric", "t_co2_per_tce"),
    ("总量,t_co2_total,≈,1,t,x\n", "indicators.comparison", "≈"),
    ("总量,t_co2_total,<=,,t,x\n", "indicators.threshold", "第 2 行"),
    ("总量,t_co2_total,<=,abc,t,x\n", "indicators.threshold", "abc"),
    ("总量,t_co2_total,<=,1,t,\n", "indicators.source", "来源"),
])
def test_bad_indicator_files_are_refused(tmp_path, body, code, needle):
    with pytest.raises(InputError) as e:
        read_indicator_set(_write(tmp_path, body))
    assert e.value.code == code
    assert needle in e.value.zh or needle in e.value.en


def test_missing_columns_and_empty_file(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("指标名称,阈值\n总量,1\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_indicator_set(path)
    assert e.value.code == "indicators.columns"
    with pytest.raises(InputError) as e:
        read_indicator_set(pd.DataFrame({"metric": [None]}))
    assert e.value.code == "indicators.empty"


def test_facts_table_and_sichuan_targets():
    facts = read_facts(pd.DataFrame({"名称": ["新建公共建筑中绿色建筑占比", "new_energy_transit_pct"],
                                     "数值": [85, 79.9]}))
    assert facts == {"green_building_public_pct": 85.0, "new_energy_transit_pct": 79.9}
    status = check_indicators(facts, "sichuan-2022").set_index("metric")["status"]
    assert status["green_building_public_pct"] == "pass"  # 85 ≥ 80
    assert status["new_energy_transit_pct"] == "fail"  # 79.9 < 80
    assert status["green_building_industrial_pct"] == "no data"
    with pytest.raises(InputError) as e:
        read_facts(pd.DataFrame({"名称": ["绿化率"], "数值": [50]}))
    assert e.value.code == "balance.facts"


def test_every_known_metric_is_one_the_balance_gives():
    metrics = park_balance(_inputs(facts={})).metrics
    from gis.carbon.balance import FACT_KEYS

    assert set(KNOWN_METRICS) - set(FACT_KEYS) <= set(metrics)


def test_example_file_reads():
    table = read_indicator_set(resources_dir() / "indicators" / "example_user_set.csv")
    assert table["set_name_zh"].str.contains("示例").all()
    assert "t_co2_total" in set(table["metric"])
