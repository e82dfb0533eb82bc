"""Optional PVGIS typical-year download (off unless the user allows the network), cached on disk.

PVGIS (EU Joint Research Centre, https://re.jrc.ec.europa.eu/pvg_tools/) serves a TMY for any
land point; for China it is based on ERA5 (or SARAH-3 in the far west) and, like the ERA5-based TMYx
files, tends to read higher than the CSWD station data (docs/weather.md). Lingtan never goes online
on its own: ``fetch_pvgis_tmy`` refuses unless ``allow_network=True``, and a cached download is used
without any network.

Cache: one JSON file per site in PVGIS's own TMY format (readable by :func:`read_weather`), named
by lat/lon rounded to ``CACHE_DECIMALS`` decimals (0.01° ≈ 1 km, finer than PVGIS's grid). Default
folder: ``$LINGTAN_CACHE_DIR`` or the platform's user cache folder (``%LOCALAPPDATA%\\Lingtan\\cache``
on Windows, ``~/Library/Caches/Lingtan`` on macOS, ``$XDG_CACHE_HOME/lingtan`` or
``~/.cache/lingtan`` elsewhere), sub-folder ``pvgis``.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import replace
from pathlib import Path

import pvlib

from gis.errors import InputError, Problem
from gis.solar.weather import DEFAULT_YEAR, read_weather
from gis.solar.weather_types import Weather

CACHE_DECIMALS = 2
"""Rounding of lat/lon in cache keys: 0.01° ≈ 1.1 km (PVGIS's ERA5 grid is 0.25°, SARAH 0.05°)."""

_REVERSE_MAP = {v: k for k, v in pvlib.iotools.pvgis.VARIABLE_MAP.items()}


def default_cache_dir() -> Path:
    """The user cache folder for PVGIS downloads (see module docstring)."""
    env = os.environ.get("LINGTAN_CACHE_DIR")
    if env:
        return Path(env) / "pvgis"
    if sys.platform.startswith("win"):
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local")) / "Lingtan" / "cache"
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches" / "Lingtan"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "lingtan"
    return base / "pvgis"


def cache_path(lon: float, lat: float, cache_dir: Path | None = None) -> Path:
    """Where the TMY for (lon, lat) is (or would be) cached."""
    d = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    return d / f"pvgis_tmy_lat{lat:.{CACHE_DECIMALS}f}_lon{lon:.{CACHE_DECIMALS}f}.json"


def fetch_pvgis_tmy(lon: float, lat: float, *, allow_network: bool = False, cache_dir: Path | None = None,
                    timeout_s: float = 30, year: int = DEFAULT_YEAR) -> Weather:
    """PVGIS typical year for a site as :class:`Weather` (source_kind "pvgis").

    lon, lat: degrees WGS84. allow_network: must be True to download (a cached file is used either
    way). cache_dir: folder of the cache (default :func:`default_cache_dir`). timeout_s: HTTP
    timeout, seconds. year: calendar year the typical year is set to.
    """
    lat_r, lon_r = round(float(lat), CACHE_DECIMALS), round(float(lon), CACHE_DECIMALS)
    path = cache_path(lon_r, lat_r, cache_dir)
    hit = path.is_file()
    if not hit:
        if not allow_network:
            raise InputError(
                "联网下载 PVGIS 已关闭（默认）。请在设置中允许联网（allow_network=True，命令行 "
                "--network），或提供天气文件（EPW、PVGIS TMY 的 csv/json/epw、逐时 CSV），"
                "或使用内置气候表。",
                "downloading from PVGIS is off (the default). Allow network access in the settings "
                "(allow_network=True, on the command line --network), or supply a weather file "
                "(EPW, a PVGIS TMY csv/json/epw, an hourly CSV), or use the built-in climatology.",
                code="pvgis.network_off")
        _download(lon_r, lat_r, path, timeout_s)
    w = read_weather(path, year=year)
    how_zh = "本地缓存" if hit else "已下载并缓存"
    how_en = "from the local cache" if hit else "downloaded and cached"
    problems = [*w.problems, Problem(
        "info", "pvgis.used",
        f"PVGIS 典型年（{how_zh}：{path}）；PVGIS/ERA5 在中国通常比 CSWD 站点数据偏高"
        "（见 docs/weather.md）。",
        f"PVGIS typical year ({how_en}: {path}); PVGIS/ERA5 tends to read higher than the CSWD "
        "station data in China (see docs/weather.md).")]
    source = f"PVGIS 典型年下载 PVGIS TMY download ({how_en}) — {w.source}"
    return replace(w, source_kind="pvgis", problems=problems, source=source)


def _download(lon: float, lat: float, path: Path, timeout_s: float) -> None:
    try:
        data, meta = pvlib.iotools.get_pvgis_tmy(lat, lon, outputformat="json", map_variables=True,
                                                 timeout=timeout_s, coerce_year=None)
    except Exception as exc:  # network or server error: the user can fall back to a file
        raise InputError(
            f"无法从 PVGIS 下载典型年：{exc}。请检查网络，或提供天气文件，或使用内置气候表。",
            f"could not download the PVGIS typical year: {exc}. Check the connection, or supply a "
            "weather file, or use the built-in climatology.", code="pvgis.download") from exc
    write_cache(data, meta, path)


def write_cache(data, meta: dict, path: Path) -> None:
    """Write (data, meta) as returned by pvlib's PVGIS TMY reader to ``path`` in PVGIS json form."""
    rows = data.rename(columns=_REVERSE_MAP)
    rows.insert(0, "time(UTC)", rows.index.tz_convert("UTC").strftime("%Y%m%d:%H%M"))
    records = json.loads(rows.reset_index(drop=True).to_json(orient="records"))
    inputs = {k: v for k, v in dict(meta.get("inputs", {})).items() if k != "descriptions"}
    obj = {"inputs": inputs,
           "outputs": {"months_selected": meta.get("months_selected", []), "tmy_hourly": records},
           "meta": {"inputs": meta.get("inputs", {}).get("descriptions", {})}}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part")
    tmp.write_text(json.dumps(obj), encoding="utf-8")
    tmp.replace(path)
