"""Write the embedded sample park to this folder: ``python resources/sample/make_sample_park.py``.

The generator is :mod:`gis.sample_park` (deterministic, seeded); it draws the park's current
years, 2023 and 2024. :func:`add_history` then back-casts 2015–2022 from each entity's 2023 row,
deterministically (no random numbers), so the 2023 and 2024 rows stay exactly as generated and the
demo shows ten years (issue #19). tests/test_sample_park.py checks that the committed 2023/2024
rows equal a fresh run; tests/test_sample_history.py checks the whole files equal
``add_history(generate())`` and that the history follows the assumptions below.

Back-cast assumptions (for year y < 2023, working backwards from 2023 one year at a time):

1. **Activity.** Value added (工业增加值) of an enterprise falls back by China's growth of
   industrial value added above designated size of the following year
   (:data:`INDUSTRY_GROWTH_PCT`); a township's GDP (地区生产总值) by China's GDP growth
   (:data:`GDP_GROWTH_PCT`). Both: NBS Statistical Communiqués on National Economic and Social
   Development, each year's first-published figure.
2. **Energy intensity.** Energy per value added (tce/10^4 yuan) was higher by the national
   intensity targets spread evenly over their five-year plans (:data:`INTENSITY_DECLINE_PCT`):
   13th FYP −15 % over 2016–2020 (3.20 %/yr), 14th FYP −13.5 % over 2021–2025 (2.86 %/yr).
   An entity's total energy (tce, GB/T 2589-2020 coefficients) in year y is therefore
   ``tce_2023 × (VA_y / VA_2023) × (I_y / I_2023)``.
3. **Fuel switch.** Within that total (tce-neutral), going back k = 2023 − y years a share
   ``min(1, 0.06 k)`` of 2023's natural-gas energy and ``0.02 k`` of 2023's electricity was coal
   (:data:`GAS_WAS_COAL_PER_YEAR`, :data:`ELEC_WAS_COAL_PER_YEAR`): Zhejiang's coal-to-gas and
   small-boiler phase-out (浙江省打赢蓝天保卫战三年行动计划, 2018) and electrification. These
   shares are assumptions of this synthetic sample, not statistics.
4. Heat (热力), petrol, diesel and township 成品油 follow the total (scaled like 2.); population
   was 1 %/yr lower per year back (an assumption); land area does not change.
5. **Entrants.** Every enterprise whose number ends in 7 (E007, E017 …) entered the park later
   (:func:`entry_year`: 2017, 2019 or 2021): it has no rows before that year, so the trends report
   it as missing those years (nothing is filled in).

Amounts are rounded as :mod:`gis.sample_park` rounds them (coal and heat 0.1, others 0.01,
value added 0.1, GDP 1, population 100).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from gis.sample_park import generate  # noqa: E402

LAYERS = ("boundary", "buildings", "green", "tree_rows", "townships")
FIRST_YEAR = 2015
ANCHOR_YEAR = 2023
INDUSTRY_GROWTH_PCT = {2016: 6.0, 2017: 6.6, 2018: 6.2, 2019: 5.7, 2020: 2.8, 2021: 9.6, 2022: 3.6,
                       2023: 4.6}
"""Growth of China's industrial value added above designated size over the previous year, %
(NBS Statistical Communiqués 2016–2023, 规模以上工业增加值比上年增长)."""
GDP_GROWTH_PCT = {2016: 6.7, 2017: 6.9, 2018: 6.6, 2019: 6.1, 2020: 2.3, 2021: 8.1, 2022: 3.0, 2023: 5.2}
"""Growth of China's GDP over the previous year, % (NBS Statistical Communiqués 2016–2023)."""
INTENSITY_DECLINE_PCT = {y: 100.0 * (1 - 0.85 ** 0.2) for y in range(2016, 2021)} | \
    {y: 100.0 * (1 - 0.865 ** 0.2) for y in range(2021, 2024)}
"""Fall of energy per value added over the previous year, %: the 13th (−15 % in 2016–2020) and
14th (−13.5 % in 2021–2025) Five-Year Plan targets spread evenly (geometric) over their years."""
GAS_WAS_COAL_PER_YEAR = 0.06
"""Share of 2023's natural gas (tce) that was coal, per year before 2023 (capped at 1; assumption)."""
ELEC_WAS_COAL_PER_YEAR = 0.02
"""Share of 2023's electricity (tce) that was coal, per year before 2023 (assumption)."""
POPULATION_GROWTH = 0.01
"""Yearly growth of townships' resident population before 2023 (assumption)."""
TCE_PER = {"原煤(吨)": 0.7143, "天然气(万立方米)": 12.143, "电力(万千瓦时)": 1.229}
"""tce per unit of the switched fuels' columns: GB/T 2589-2020 (coal 0.7143 kgce/kg, natural gas
1.2143 kgce/m³, electricity 0.1229 kgce/kWh at equivalent value)."""
_DECIMALS = {"原煤(吨)": 1, "天然气(万立方米)": 2, "汽油(吨)": 2, "柴油(吨)": 2, "电力(万千瓦时)": 2,
             "热力(吉焦)": 1, "成品油(吨)": 0, "工业增加值(万元)": 1, "地区生产总值(万元)": 0}


def entry_year(enterprise_id: str) -> int:
    """The year an enterprise entered the park: 2017/2019/2021 for numbers ending in 7 (by the
    tens digit), else before 2015."""
    n = int(enterprise_id.lstrip("E"))
    return 2017 + 2 * ((n // 10) % 3) if n % 10 == 7 else FIRST_YEAR


def scale_to_anchor(year: int, growth_pct: dict[int, float]) -> tuple[float, float]:
    """(activity_y / activity_2023, intensity_y / intensity_2023) for ``year`` ≤ 2023."""
    activity = intensity = 1.0
    for y in range(year + 1, ANCHOR_YEAR + 1):
        activity /= 1.0 + growth_pct[y] / 100.0
        intensity /= 1.0 - INTENSITY_DECLINE_PCT[y] / 100.0
    return activity, intensity


def _back_cast(anchor: pd.DataFrame, year: int, growth_pct: dict[int, float], va_col: str) -> pd.DataFrame:
    """The rows of ``year`` from the 2023 rows ``anchor`` (assumptions 1–4 of the module doc)."""
    k = ANCHOR_YEAR - year
    activity, intensity = scale_to_anchor(year, growth_pct)
    energy = activity * intensity
    out = anchor.copy()
    out["年份"] = year
    gas_tce = anchor["天然气(万立方米)"].to_numpy(float) * TCE_PER["天然气(万立方米)"]
    elec_tce = anchor["电力(万千瓦时)"].to_numpy(float) * TCE_PER["电力(万千瓦时)"]
    gas_share = min(1.0, GAS_WAS_COAL_PER_YEAR * k)
    elec_share = ELEC_WAS_COAL_PER_YEAR * k
    coal_tce = anchor["原煤(吨)"].to_numpy(float) * TCE_PER["原煤(吨)"] + gas_share * gas_tce \
        + elec_share * elec_tce
    out["原煤(吨)"] = energy * coal_tce / TCE_PER["原煤(吨)"]
    out["天然气(万立方米)"] = energy * (1 - gas_share) * anchor["天然气(万立方米)"].to_numpy(float)
    out["电力(万千瓦时)"] = energy * (1 - elec_share) * anchor["电力(万千瓦时)"].to_numpy(float)
    for col in ("汽油(吨)", "柴油(吨)", "热力(吉焦)", "成品油(吨)"):
        if col in out:
            out[col] = energy * anchor[col].to_numpy(float)
    out[va_col] = activity * anchor[va_col].to_numpy(float)
    if "常住人口(人)" in out:
        out["常住人口(人)"] = np.round(anchor["常住人口(人)"].to_numpy(float)
                                   * (1 + POPULATION_GROWTH) ** -k, -2)
    for col, d in _DECIMALS.items():
        if col in out:
            out[col] = np.round(out[col].to_numpy(float), d)
    return out


def add_history(enterprises: pd.DataFrame, township_stats: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The generator's tables with 2015–2022 added (module doc); the given rows are kept as they are.

    Enterprises come sorted by enterprise then year, townships by year then table order."""
    years = range(FIRST_YEAR, ANCHOR_YEAR)
    a = enterprises[enterprises["年份"] == ANCHOR_YEAR]
    entry = a["企业代码"].map(entry_year)
    past = [_back_cast(a[entry <= y], y, INDUSTRY_GROWTH_PCT, "工业增加值(万元)") for y in years]
    ent = pd.concat([enterprises, *past])
    order = {e: i for i, e in enumerate(dict.fromkeys(enterprises["企业代码"]))}
    ent = ent.sort_values(["企业代码", "年份"], key=lambda s: s.map(order) if s.name == "企业代码" else s,
                          kind="stable").reset_index(drop=True)
    t = township_stats[township_stats["年份"] == ANCHOR_YEAR]
    towns = pd.concat([*(_back_cast(t, y, GDP_GROWTH_PCT, "地区生产总值(万元)") for y in years), township_stats])
    return ent[enterprises.columns], towns[township_stats.columns].reset_index(drop=True)


def main(out: Path) -> None:
    park = generate()
    gpkg = out / "park.gpkg"
    gpkg.unlink(missing_ok=True)
    for name in LAYERS:
        getattr(park, name).to_file(gpkg, layer=name, driver="GPKG", engine="pyogrio")
    enterprises, township_stats = add_history(park.enterprises, park.township_stats)
    # UTF-8 with BOM: Excel on Chinese Windows opens it with the right characters
    enterprises.to_csv(out / "enterprises_energy.csv", index=False, encoding="utf-8-sig")
    township_stats.to_csv(out / "township_stats.csv", index=False, encoding="utf-8-sig")
    print(f"wrote {gpkg} ({', '.join(LAYERS)}), enterprises_energy.csv, township_stats.csv "
          f"({FIRST_YEAR}–{int(enterprises['年份'].max())})")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent)
