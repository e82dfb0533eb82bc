"""Process, waste and cooling emissions by hand (issue #20), and the scope boundary's sums.

The references are written out here from the guidelines' formulas and standard atomic weights
(IUPAC: C 12.011, OX 15.999, Ca 40.078, Mg 24.305, Na 22.990, H 1.008), not read from the code.
"""

from __future__ import annotations

import dataclasses
import shutil
import subprocess

import pandas as pd
import pytest

from gis.carbon.emissions import account_emissions
from gis.carbon.factors import load_factor_set
from gis.carbon.inventory import read_energy_inventory
from gis.carbon.process import account_activities, activity_catalog, clinker_factor, read_activities
from gis.carbon.scope import apply_boundary, parse_boundary, read_scope3, scope_totals
from gis.errors import InputError

C, OX, CA, MG, NA = 12.011, 15.999, 40.078, 24.305, 22.990
CO2 = C + 2 * OX
CACO3, CAO, MGO = CA + C + 3 * OX, CA + OX, MG + OX
DOLOMITE = CA + MG + 2 * (C + 3 * OX)
NA2CO3 = 2 * NA + C + 3 * OX
GRID = 0.5703  # kgCO2/kWh, an arbitrary grid factor for the cooling line


def _emissions(table: pd.DataFrame) -> pd.DataFrame:
    cat = activity_catalog(GRID)
    return account_activities(read_activities(table, catalog=cat), cat, years=None)


def test_stoichiometric_factors_match_atomic_weights():
    t = activity_catalog().set_index(activity_catalog().index)
    assert t.at["limestone", "t_co2e_per_unit"] == pytest.approx(CO2 / CACO3, rel=2e-4)
    assert t.at["dolomite", "t_co2e_per_unit"] == pytest.approx(2 * CO2 / DOLOMITE, rel=2e-4)
    assert t.at["soda_ash", "t_co2e_per_unit"] == pytest.approx(CO2 / NA2CO3, rel=2e-4)


def test_clinker_factor_from_cao_and_mgo():
    # 65 % CaO of which 1 % not from carbonate, 2.5 % MgO: (0.64 × 44/56 + 0.025 × 44/40) by hand
    expected = 0.64 * CO2 / CAO + 0.025 * CO2 / MGO
    assert clinker_factor(65, 2.5, cao_noncarbonate_pct=1) == pytest.approx(expected, rel=1e-4)
    assert expected == pytest.approx(0.5296, abs=1e-3)
    with pytest.raises(InputError) as e:
        clinker_factor(65, 2.5, cao_noncarbonate_pct=70)
    assert e.value.code == "process.clinker"


def test_each_process_by_hand():
    table = pd.DataFrame(
        {
            "企业代码": ["C1"],
            "年份": [2023],
            "熟料产量(万吨)": [0.1],
            "石灰产量(吨)": [200.0],
            "平板玻璃产量(吨)": [500.0],
            "陶瓷原料(吨)": [1000.0],
            "合成氨产量(吨)": [100.0],
            "电极消耗量(kg)": [10000.0],
            "石灰石(吨)": [50.0],
            "纯碱(吨)": [20.0],
        }
    )
    got = _emissions(table).set_index("item")["t_co2"]
    assert got["clinker"] == pytest.approx(1000 * 0.52)  # IPCC 2006 Vol. 3 Eq. 2.4 default 0.52 t/t
    assert got["lime"] == pytest.approx(200 * 0.95 * CO2 / CAO, rel=1e-2)  # 95 % CaO, Table 2.4
    assert got["glass"] == pytest.approx(500 * 0.21)  # Table 2.6 float glass
    # ceramics Tier 1: 10 % carbonate, 85 % limestone / 15 % dolomite
    assert got["ceramics"] == pytest.approx(
        1000 * 0.10 * (0.85 * CO2 / CACO3 + 0.15 * 2 * CO2 / DOLOMITE), rel=1e-3
    )
    assert got["ammonia_gas"] == pytest.approx(100 * 37.5 * 15.3 / 1000 * 44 / 12, rel=1e-3)  # Table 3.1
    assert got["electrode"] == pytest.approx(10 * 0.999 * 44 / 12, rel=1e-3)  # 10 t electrode, 99.9 % C
    assert got["limestone"] == pytest.approx(50 * CO2 / CACO3, rel=1e-3)
    assert got["soda_ash"] == pytest.approx(20 * CO2 / NA2CO3, rel=1e-3)


def test_waste_and_cooling_by_hand():
    table = pd.DataFrame(
        {
            "企业": ["W"],
            "垃圾填埋量(吨)": [100.0],
            "垃圾焚烧量(吨)": [100.0],
            "COD去除量(吨)": [10.0],
            "外购冷量(GJ)": [1000.0],
        }
    )
    got = _emissions(table).set_index("item")["t_co2"]
    # IPCC 2006 Vol. 5 Eq. 3.1: DOC 0.15 × DOCf 0.5 × MCF 1 × F 0.5 × 16/12, GWP 28
    assert got["landfill"] == pytest.approx(100 * 0.15 * 0.5 * 1.0 * 0.5 * 16 / 12 * 28, rel=1e-3)
    assert got["incineration"] == pytest.approx(100 * 0.20 * 0.39 * 0.95 * 44 / 12, rel=1e-3)
    assert got["wastewater_aerobic"] == pytest.approx(10 * 0.25 * 0.3 * 28, rel=1e-3)
    # 1000 GJ of cold = 277 778 kWh; ÷ COP 4.2 of electricity × 0.5703 kgCO2/kWh
    assert got["cooling"] == pytest.approx(1000 * 1e6 / 3600 / 4.2 * GRID / 1000, rel=1e-6)


def test_long_table_and_bad_units():
    long = pd.DataFrame(
        {
            "企业代码": ["A", "A", "B"],
            "项目": ["熟料产量", "原煤", "石灰产量(万吨)"],
            "数量": [10.0, 5.0, 0.002],
            "单位": ["吨", "吨", None],
        }
    )
    got = _emissions(long)
    assert list(got["entity"]) == ["A", "B"]
    assert got["t_co2"].tolist() == pytest.approx([10 * 0.52, 20 * 0.75])
    for header, code in (("熟料产量(立方米)", "process.unit"), ("熟料产量", "process.no_unit")):
        with pytest.raises(InputError) as e:
            read_activities(pd.DataFrame({"企业": ["A"], header: [1.0]}))
        assert e.value.code == code
    with pytest.raises(InputError) as e:
        read_activities(pd.DataFrame({"企业": ["A"], "熟料产量(吨)": ["abc"]}))
    assert e.value.code == "process.not_a_number"


def test_energy_reader_leaves_process_columns():
    table = pd.DataFrame({"企业代码": ["E1"], "原煤(吨)": [10.0], "熟料产量(吨)": [5.0], "冷量(吉焦)": [3.0]})
    inv = read_energy_inventory(table)
    assert inv.fuels == ["raw_coal"]
    assert not inv.ignored_columns


def _park():
    table = pd.DataFrame(
        {
            "企业代码": ["E1", "E2"],
            "年份": [2023, 2023],
            "原煤(吨)": [100.0, 0.0],
            "电力(万千瓦时)": [10.0, 20.0],
            "熟料产量(吨)": [1000.0, None],
            "垃圾焚烧量(吨)": [None, 100.0],
            "冷量(吉焦)": [None, 420.0],
        }
    )
    fs = load_factor_set()
    inv = read_energy_inventory(table, factors=fs)
    em = account_emissions(inv, fs)
    coal = float(em.by_fuel.set_index("fuel").at["raw_coal", "t_co2"])
    grid = em.grid_kg_co2_per_kwh
    return em, read_activities(table, columns=inv.columns), coal, grid


def test_boundary_sums_by_hand():
    em, acts, coal, grid = _park()
    elec = 300_000 * grid / 1000  # 30 万 kWh
    process, waste = 1000 * 0.52, 100 * 0.2 * 0.39 * 0.95 * 44 / 12
    cooling = 420 * 1e6 / 3600 / 4.2 * grid / 1000
    s3 = read_scope3(
        pd.DataFrame(
            {
                "类别": ["4", "员工通勤"],
                "排放量(万吨二氧化碳)": [0.01, 0.005],
                "来源": ["物流台账", "通勤调查"],
            }
        )
    )
    assert s3["category_no"].tolist()[0] == 4 and s3["category_no"].tolist()[1] == 7
    scope3 = 100.0 + 50.0
    for boundary, expected in (
        (["scope1", "scope2"], coal + process + waste + elec + cooling),
        ("scope1", coal + process + waste),
        ("1,2,3", coal + process + waste + elec + cooling + scope3),
    ):
        b = apply_boundary(em, activities=acts, scope3=s3, boundary=boundary)
        t = b.total()
        assert t["t_co2"] == pytest.approx(expected, rel=1e-6), boundary
        totals = scope_totals(b)
        assert totals["scope1_t_co2"] == pytest.approx(coal + process + waste, rel=1e-6)
        assert totals["scope2_t_co2"] == pytest.approx(elec + cooling, rel=1e-6)
        assert totals["scope3_t_co2"] == pytest.approx(scope3)
        assert totals["total_t_co2"] == pytest.approx(expected, rel=1e-6)
        # the balance sees each line as its own row, the uncounted at zero
        assert b.by_fuel_for()["t_co2"].sum() == pytest.approx(expected, rel=1e-6)
    b = apply_boundary(em, activities=acts)
    e1 = b.entities.set_index("entity")
    assert e1.at["E1", "t_co2_process"] == pytest.approx(process)
    assert e1.at["E2", "t_co2_scope2"] == pytest.approx(200_000 * grid / 1000 + cooling, rel=1e-6)
    assert set(b.by_fuel["kind"]) == {"energy", "process", "waste", "cooling"}


def test_boundary_and_scope3_errors():
    assert parse_boundary("范围一、范围二") == (1, 2)
    assert parse_boundary(None) == (1, 2)
    with pytest.raises(InputError) as e:
        parse_boundary("scope4")
    assert e.value.code == "scope.boundary"
    with pytest.raises(InputError) as e:
        read_scope3(pd.DataFrame({"类别": ["1"], "排放量": [float("nan")]}))
    assert e.value.code == "scope.scope3_value"
    with pytest.raises(InputError) as e:
        read_scope3(pd.DataFrame({"名称": ["1"], "数值": [1.0]}))
    assert e.value.code == "scope.scope3_columns"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed")
def test_report_shows_the_lines_boundary_and_green_rates(tmp_path):
    """The sample park with a clinker column in its latest year and one scope 3 line: the report's
    section lists them as their own rows (numbers by hand) beside both green rates."""
    from app.report.build import build_report
    from gis.carbon.park_carbon import account_park
    from gis.park import load_sample_park

    park = load_sample_park()
    ent = park.enterprises.copy()
    latest = ent["年份"] == ent["年份"].max()
    ent["熟料产量(吨)"] = None
    ent.loc[ent.index[latest][0], "熟料产量(吨)"] = 1000.0
    park = dataclasses.replace(park, enterprises=ent)
    s3 = read_scope3(pd.DataFrame({"类别": ["4"], "排放量(吨二氧化碳)": [100.0], "来源": ["物流台账"]}))
    account = account_park(park, load_factor_set(), scope3=s3, boundary="scope1,scope2,scope3")
    assert account.emissions.total()["t_co2_process"] == pytest.approx(1000 * 0.52)
    pdf = build_report(({"name": "测试", "carbon": account.summary()}, {}), tmp_path / "r.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    section = text[text.rfind("核算边界、其他排放与绿化指标"):]
    assert "水泥熟料" in section and "520.0" in section  # 1000 t × 0.52
    assert "范围三：上游运输和" in section and "620.0" in section  # total counted: 520 + 100
    assert "绿化覆盖率" in section and "绿地率" in section


def test_cli_carbon_boundary_and_lines(tmp_path):
    """``lingtan carbon --process --scope3 --boundary``: the workbook's 排放项目 sheet and 汇总 rows."""
    from app.cli import main

    energy = tmp_path / "e.csv"
    energy.write_text("企业代码,年份,原煤(吨),熟料产量(吨)\nE1,2023,100,1000\n", encoding="utf-8")
    process = tmp_path / "p.csv"
    process.write_text("企业代码,年份,项目,数量,单位\nE1,2023,垃圾焚烧量,100,吨\n", encoding="utf-8")
    scope3 = tmp_path / "s3.csv"
    scope3.write_text("类别,排放量(吨二氧化碳),来源\n6,40,差旅台账\n", encoding="utf-8")
    out = tmp_path / "o.xlsx"
    assert main(["carbon", str(energy), "--process", str(process), "--scope3", str(scope3), "--boundary",
                 "scope1", "--out", str(out)]) == 0
    lines = pd.read_excel(out, sheet_name="排放项目").set_index("项目")
    waste = 100 * 0.2 * 0.39 * 0.95 * 44 / 12
    assert lines.at["水泥熟料", "排放量(tCO2e)"] == pytest.approx(520.0)
    assert lines.at["垃圾焚烧", "排放量(tCO2e)"] == pytest.approx(waste, rel=1e-3)
    assert not lines.at["范围三：商务差旅", "计入边界"]  # scope 3 is outside scope1
    summary = pd.read_excel(out, sheet_name="汇总").set_index("项目")
    coal = float(lines.at["原煤", "排放量(tCO2e)"])
    assert summary.at["排放总量 Total emissions", "数值"] == pytest.approx(coal + 520 + waste, rel=1e-6)
    assert summary.at["范围三 Scope 3", "数值"] == pytest.approx(40.0)


def test_clinker_factor_from_the_plants_composition_columns():
    """熟料CaO含量(%) and 熟料MgO含量(%) beside 熟料产量: the guideline's formula per plant, by hand;
    a plant without them keeps the default 0.52."""
    table = pd.DataFrame({"企业代码": ["A", "B"], "原煤(吨)": [1.0, 1.0], "熟料产量(吨)": [1000.0, 1000.0],
                          "熟料CaO含量(%)": [66.0, None], "熟料MgO含量(%)": [1.5, None],
                          "非碳酸盐CaO含量(%)": [0.8, None]})
    got = _emissions(table).set_index("entity")
    by_hand = 1000 * ((66.0 - 0.8) / 100 * CO2 / CAO + 1.5 / 100 * CO2 / MGO)
    assert got.at["A", "t_co2"] == pytest.approx(by_hand, rel=1e-4)
    assert "CaO" in got.at["A", "source"]
    assert got.at["B", "t_co2"] == pytest.approx(520.0)
    inv = read_energy_inventory(table)
    assert inv.fuels == ["raw_coal"] and not inv.ignored_columns
    bad = table.assign(**{"非碳酸盐CaO含量(%)": [70.0, None]})
    with pytest.raises(InputError) as e:
        read_activities(bad)
    assert e.value.code == "process.clinker"
