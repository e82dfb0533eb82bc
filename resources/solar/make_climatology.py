"""Regenerate ``china_climatology.csv`` (monthly station figures) from CSWD EPW files.

    /work/venv/bin/python resources/solar/make_climatology.py [WEATHER_DIR] [--out CSV]

WEATHER_DIR defaults to ../shared/data/weather (the project's real-data folder, see its
SOURCES.md); only ``*_CSWD.epw`` files are used, so the table has one consistent source (TMYx files
read ~20% more GHI at the same stations and are deliberately left out). The EPW files themselves are
never copied into the repository; only the derived monthly figures are, citing SOURCES.md.

Per station: monthly GHI (kWh/m²), monthly mean air temperature (°C), monthly mean daily
temperature range (max − min, °C), the standard deviation of the daily clearness index within each
month, monthly diffuse fraction
ΣDHI/ΣGHI, annual mean wind speed (m/s), position and altitude from the EPW header (with the known
header fixes of gis.solar.weather.KNOWN_HEADER_FIXES, e.g. Nanjing's latitude), and notes on
problems of the hourly file (time-base offset, component closure) that do not affect monthly totals.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from gis.solar.climatology import daily_h0_kwh_m2  # noqa: E402
from gis.solar.weather import (  # noqa: E402
    CLOSURE_WARN,
    TIME_BASE_WARN_H,
    closure_ratio,
    noon_offset_h,
    read_weather,
)

DEFAULT_DIR = REPO.parent / "shared" / "data" / "weather"
OUT = Path(__file__).resolve().parent / "china_climatology.csv"

SOURCE = ("CSWD: China Standard Weather Data for Analyzing Building Thermal Conditions (CMA Climate "
          "Information Center & Tsinghua Univ.; typical year from 1971–2003 observations; EPW "
          "edition May 2010), via ../shared/data/SOURCES.md")

# WMO id -> (English name, Chinese name). Station names as in SOURCES.md.
NAMES = {
    "501360": ("Mohe", "漠河"), "507450": ("Qiqihar", "齐齐哈尔"), "509530": ("Harbin", "哈尔滨"),
    "512430": ("Karamay", "克拉玛依"), "514630": ("Urumqi", "乌鲁木齐"), "515730": ("Turpan", "吐鲁番"),
    "517090": ("Kashgar (Kashi)", "喀什"), "525330": ("Jiuquan", "酒泉"), "528660": ("Xining", "西宁"),
    "528890": ("Lanzhou", "兰州"), "534630": ("Hohhot", "呼和浩特"), "534870": ("Datong", "大同"),
    "535430": ("Ordos (Dongsheng)", "鄂尔多斯东胜"), "536140": ("Yinchuan", "银川"),
    "536460": ("Yulin (Shaanxi)", "榆林"), "536980": ("Shijiazhuang", "石家庄"),
    "541610": ("Changchun", "长春"), "543420": ("Shenyang", "沈阳"), "545270": ("Tianjin", "天津"),
    "545390": ("Tangshan (Leting)", "唐山乐亭"), "546620": ("Dalian", "大连"), "548230": ("Jinan", "济南"),
    "548430": ("Weifang", "潍坊"), "555910": ("Lhasa", "拉萨"), "561960": ("Mianyang", "绵阳"),
    "562940": ("Chengdu", "成都"), "567780": ("Kunming", "昆明"), "570360": ("Xi'an", "西安"),
    "574610": ("Yichang", "宜昌"), "575160": ("Chongqing (Shapingba)", "重庆沙坪坝"),
    "576870": ("Changsha", "长沙"), "578160": ("Guiyang", "贵阳"), "579570": ("Guilin", "桂林"),
    "580270": ("Xuzhou", "徐州"), "582380": ("Nanjing", "南京"), "583210": ("Hefei", "合肥"),
    "583620": ("Shanghai (Baoshan)", "上海宝山"), "586590": ("Wenzhou", "温州"), "588470": ("Fuzhou", "福州"),
    "591340": ("Xiamen", "厦门"), "592870": ("Guangzhou", "广州"), "593160": ("Shantou", "汕头"),
    "594310": ("Nanning", "南宁"), "597580": ("Haikou", "海口"),
}


def station_row(path: Path) -> dict:
    w = read_weather(path)
    wmo = path.stem.split(".")[-1].split("_")[0]
    name, name_zh = NAMES.get(wmo, (path.stem.split(".")[-2] if "." in path.stem else path.stem, ""))
    d = w.data
    month = d.index.month
    ghi_m = d["ghi"].groupby(month).sum() / 1000.0
    dhi_m = d["dhi"].groupby(month).sum() / 1000.0
    t_m = d["temp_air"].groupby(month).mean()
    daily = d["temp_air"].groupby(d.index.date)
    rng = (daily.max() - daily.min())
    rng.index = pd.DatetimeIndex(rng.index).month
    r_m = rng.groupby(level=0).mean()
    day_ghi = d["ghi"].groupby(d.index.date).sum() / 1000.0
    days = pd.DatetimeIndex(day_ghi.index)
    kt_day = day_ghi.to_numpy() / daily_h0_kwh_m2(w.latitude, days.day_of_year.to_numpy())
    kt_sd = pd.Series(kt_day).groupby(days.month).std()
    notes = []
    for p in w.problems:
        if p.code == "weather.header_fixed":
            notes.append(p.en.rstrip("."))
    off = noon_offset_h(w)
    if abs(off) >= TIME_BASE_WARN_H:
        notes.append(f"hourly radiation centred {off:+.2f} h from solar noon (time-base error; "
                     "monthly totals unaffected)")
    clo = closure_ratio(w)
    if abs(clo - 1) > CLOSURE_WARN:
        notes.append(f"DNI·cosZ+DHI = {clo:.2f}·GHI in the file")
    row = {"station": name, "station_zh": name_zh, "wmo": wmo, "lat": round(w.latitude, 3),
           "lon": round(w.longitude, 3), "altitude_m": round(w.altitude_m, 1), "source": SOURCE,
           "file": path.name}
    for m in range(1, 13):
        row[f"ghi_kwh_m2_m{m:02d}"] = round(float(ghi_m.get(m, np.nan)), 2)
    for m in range(1, 13):
        row[f"temp_air_c_m{m:02d}"] = round(float(t_m.get(m, np.nan)), 2)
    for m in range(1, 13):
        row[f"temp_range_c_m{m:02d}"] = round(float(r_m.get(m, np.nan)), 2)
    for m in range(1, 13):
        row[f"kt_day_sd_m{m:02d}"] = round(float(kt_sd.get(m, np.nan)), 4)
    for m in range(1, 13):
        g = float(ghi_m.get(m, np.nan))
        row[f"dhi_frac_m{m:02d}"] = round(float(dhi_m.get(m, np.nan)) / g, 4) if g > 0 else np.nan
    row["wind_speed_ms"] = round(float(d["wind_speed"].mean()), 2)
    row["ghi_kwh_m2_year"] = round(float(ghi_m.sum()), 1)
    row["noon_offset_h"] = round(off, 2)
    row["note"] = "; ".join(notes)
    return row


def build(weather_dir: Path) -> pd.DataFrame:
    files = sorted(Path(weather_dir).glob("*_CSWD.epw"))
    if not files:
        raise SystemExit(f"no *_CSWD.epw files in {weather_dir}")
    rows = [station_row(f) for f in files]
    return pd.DataFrame(rows).sort_values("wmo").reset_index(drop=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("weather_dir", nargs="?", default=str(DEFAULT_DIR))
    ap.add_argument("--out", default=str(OUT))
    a = ap.parse_args(argv)
    table = build(Path(a.weather_dir))
    table.to_csv(a.out, index=False, encoding="utf-8", lineterminator="\n")
    print(f"{len(table)} stations -> {a.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
