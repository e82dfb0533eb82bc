"""Time-of-use (分时) electricity tariffs of Chinese provinces and the bill they give.

A tariff is one CSV file (``resources/tariffs/<key>.csv`` or a user's own file in the same
format, see docs/energy.md "Tariffs and economics"): ``meta`` rows (names, source, dates),
``charge`` rows (demand charge 元/kW·月, capacity charge 元/kVA·月, export price 元/kWh),
``price`` rows (元/kWh per period, optionally per month) and ``period`` rows (which months and
clock times are 尖峰/高峰/平/低谷/深谷). Periods not named by any row are 平 (flat), as the
provincial notices word it ("其余时段为平段"); later rows override earlier ones, so a 尖峰
row inside a 高峰 row carves it out.

The shipped prices are a snapshot: provinces set the flat price from the grid company's monthly
agency purchase price (电网企业代理购电价格), so they change every month; the periods are the
lasting part. Each file says in ``price_status`` whether its prices are published or
illustrative.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from gis.errors import InputError, Problem
from gis.paths import resources_dir

#: Period codes, dearest first. deep_valley (深谷) is the holiday/midday trough some provinces add.
PERIOD_CODES: tuple[str, ...] = ("sharp", "peak", "flat", "valley", "deep_valley")

#: Chinese names accepted in user files (and shown in the GUI).
PERIOD_ZH: dict[str, str] = {"sharp": "尖峰", "peak": "高峰", "flat": "平段", "valley": "低谷",
                             "deep_valley": "深谷"}
_ALIASES: dict[str, str] = {
    **{c: c for c in PERIOD_CODES}, **{v: k for k, v in PERIOD_ZH.items()},
    "尖": "sharp", "尖段": "sharp", "峰": "peak", "峰段": "peak", "高峰段": "peak", "平": "flat",
    "平时段": "flat", "谷": "valley", "谷段": "valley", "低谷段": "valley", "深谷段": "deep_valley",
    "critical_peak": "sharp", "off_peak": "valley", "shoulder": "flat", "super_off_peak": "deep_valley",
}
_REQUIRED_META = ("name_zh", "name_en", "province", "category", "source", "issued")
_CHARGES = ("demand_charge_yuan_kw_month", "capacity_charge_yuan_kva_month", "export_price_yuan_kwh")


def tariffs_dir() -> Path:
    """The shipped tariff files (``resources/tariffs``)."""
    return resources_dir() / "tariffs"


@dataclass(frozen=True, eq=False)
class Tariff:
    """A time-of-use tariff: periods by month × time of day and the price of each period.

    period_of_month_hour: (12, 24) or (12, 48) array of period codes; row = month − 1, column =
        hour (or half hour when the province uses :30 boundaries) starting at 00:00.
    price_yuan_kwh: price of each period code used (元/kWh); the price of months without an
        override. price_month_yuan_kwh holds, per code, the price in each of the 12 months
        (provinces such as Shanghai float peak/valley more in summer and winter).
    demand_charge_yuan_kw_month: 需量电价, on the month's maximum demand (元/kW·月).
    capacity_charge_yuan_kva_month: 容量电价, on the transformer capacity (元/kVA·月).
    export_price_yuan_kwh: what exported surplus earns (the province's 燃煤发电基准价).
    """

    key: str
    name_zh: str
    name_en: str
    province: str
    category: str
    source: str
    issued: str
    period_of_month_hour: np.ndarray
    price_yuan_kwh: dict[str, float]
    demand_charge_yuan_kw_month: float
    capacity_charge_yuan_kva_month: float
    export_price_yuan_kwh: float
    price_month_yuan_kwh: dict[str, np.ndarray] = field(default_factory=dict)
    voltage: str = ""
    valid_from: str = ""
    price_status: str = ""
    notes: str = ""
    path: str = ""

    @property
    def slots_per_day(self) -> int:
        """24 (hourly table) or 48 (half-hourly)."""
        return int(self.period_of_month_hour.shape[1])

    @property
    def slot_h(self) -> float:
        """Length of one table column in hours (1 or 0.5)."""
        return 24.0 / self.slots_per_day

    def _slot_index(self, index: pd.DatetimeIndex, offset_h: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
        idx = _as_index(index)
        if offset_h:
            idx = idx + pd.Timedelta(hours=offset_h)
        month = idx.month.to_numpy() - 1
        minutes = idx.hour.to_numpy() * 60 + idx.minute.to_numpy()
        slot = (minutes // round(self.slot_h * 60)).astype(np.int64)
        return month, slot

    def periods(self, index: pd.DatetimeIndex) -> np.ndarray:
        """Period code of each interval (the code at the interval's start label)."""
        month, slot = self._slot_index(index)
        return self.period_of_month_hour[month, slot]

    def price_table(self) -> np.ndarray:
        """(12, slots) import price 元/kWh of every month × slot."""
        out = np.empty(self.period_of_month_hour.shape, dtype=float)
        for code in np.unique(self.period_of_month_hour):
            months = self.price_month_yuan_kwh[str(code)]
            mask = self.period_of_month_hour == code
            out[mask] = np.broadcast_to(months[:, None], out.shape)[mask]
        return out

    def import_price(self, index: pd.DatetimeIndex) -> np.ndarray:
        """Import price 元/kWh of each interval: the mean over the table slots it spans.

        An hourly series under a half-hourly table (Jiangsu's 19:30 尖峰) gets the mean of the
        two half hours, so the energy charge of a constant load is exact.
        """
        idx = _as_index(index)
        table = self.price_table()
        n_sub = _sub_slots(idx, self.slot_h)
        total = np.zeros(len(idx))
        for k in range(n_sub):
            month, slot = self._slot_index(idx, k * self.slot_h)
            total += table[month, slot]
        return total / n_sub

    def summary(self) -> dict:
        """Plain-data description for reports and JSON (periods as lists of codes)."""
        return {"key": self.key, "name_zh": self.name_zh, "name_en": self.name_en,
                "province": self.province, "category": self.category, "voltage": self.voltage,
                "source": self.source, "issued": self.issued, "valid_from": self.valid_from,
                "price_status": self.price_status, "notes": self.notes,
                "price_yuan_kwh": dict(self.price_yuan_kwh),
                "demand_charge_yuan_kw_month": self.demand_charge_yuan_kw_month,
                "capacity_charge_yuan_kva_month": self.capacity_charge_yuan_kva_month,
                "export_price_yuan_kwh": self.export_price_yuan_kwh,
                "period_of_month_hour": self.period_of_month_hour.tolist()}


def _as_index(index) -> pd.DatetimeIndex:
    if not isinstance(index, pd.DatetimeIndex):
        try:
            index = pd.DatetimeIndex(index)
        except (TypeError, ValueError) as exc:
            raise InputError("时间列无法识别为日期时间。", "The time index is not date-times.",
                             code="tariff.index") from exc
    if index.tz is not None:  # local China time is the convention; drop an explicit +08:00
        index = index.tz_convert("Asia/Shanghai").tz_localize(None)
    return index


def _sub_slots(index: pd.DatetimeIndex, slot_h: float) -> int:
    """How many table slots one interval spans (1 when the series is as fine as the table)."""
    if len(index) < 2:
        return 1
    dt_h = (index[1] - index[0]) / pd.Timedelta(hours=1)
    return max(1, round(dt_h / slot_h))


# ---------------------------------------------------------------------------- reading files

def tariff_keys() -> list[tuple[str, str, str]]:
    """(key, name_zh, name_en) of every shipped tariff, sorted by key."""
    out = []
    for path in sorted(tariffs_dir().glob("*.csv")):
        meta = _meta_only(path)
        out.append((meta.get("key") or path.stem, meta.get("name_zh", path.stem),
                    meta.get("name_en", path.stem)))
    return out


def load_tariff(key_or_path: str | Path) -> Tariff:
    """A shipped tariff by key (e.g. ``"jiangsu_2025"``) or a user's CSV file in the same format.

    Bad files raise :class:`InputError` naming the file, the row and the fix.
    """
    text = str(key_or_path)
    path = Path(text)
    if not (path.suffix.lower() == ".csv" or path.exists()):
        shipped = {k: p for p in tariffs_dir().glob("*.csv") for k in {p.stem, _meta_only(p).get("key")} if k}
        if text not in shipped:
            known = ", ".join(sorted(k for k, _, _ in tariff_keys()))
            raise InputError(f"没有名为“{text}”的电价表。可用：{known}；或给出电价 CSV 文件路径。",
                             f"No tariff named '{text}'. Available: {known}; or give the path of "
                             "a tariff CSV file.", code="tariff.unknown")
        path = shipped[text]
    if not path.is_file():
        raise InputError("找不到电价文件。", "Tariff file not found.", path=str(path),
                         code="tariff.missing")
    return _parse(path, _read_rows(path))


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):  # Excel on Chinese Windows saves CSV as GBK
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise InputError("电价文件编码无法识别，请另存为 UTF-8 CSV。",
                     "Cannot decode the tariff file; save it as UTF-8 CSV.", path=str(path),
                     code="tariff.encoding")


def _read_rows(path: Path) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(_read_text(path)))
    cols = [c.strip().lower() for c in (reader.fieldnames or [])]
    missing = [c for c in ("type", "key", "value", "months", "start", "end") if c not in cols]
    if missing:
        raise InputError(f"电价文件缺少列：{', '.join(missing)}（需要 type,key,value,months,start,end）。",
                         f"Tariff file lacks columns: {', '.join(missing)} (needs "
                         "type,key,value,months,start,end).", path=str(path), code="tariff.columns")
    rows = []
    for raw in reader:
        row = {str(k).strip().lower(): (v or "").strip() for k, v in raw.items() if k is not None}
        if row.get("type", "").startswith("#") or not any(row.values()):
            continue
        rows.append(row)
    return rows


def _meta_only(path: Path) -> dict[str, str]:
    try:
        return {r["key"]: r["value"] for r in _read_rows(path) if r.get("type") == "meta"}
    except InputError:
        return {}


def _bad(path: Path, line: int, zh: str, en: str) -> InputError:
    return InputError(f"第 {line} 行：{zh}", f"row {line}: {en}", path=str(path), code="tariff.row")


def _months(spec: str, path: Path, line: int) -> list[int]:
    """'all' / '' → 1..12; '6-8;12-2' → [6,7,8,12,1,2] (a range may wrap the year end)."""
    spec = spec.strip().lower()
    if spec in ("", "all", "全年"):
        return list(range(1, 13))
    out: list[int] = []
    for part in re.split(r"[;；|、/]", spec):
        part = part.strip().replace("月", "")
        if not part:
            continue
        try:
            a, _, b = part.partition("-")
            lo, hi = int(a), int(b or a)
        except ValueError:
            raise _bad(path, line, f"月份“{spec}”无法识别（例：6-8;12-2）。",
                       f"cannot read months '{spec}' (e.g. 6-8;12-2).") from None
        if not (1 <= lo <= 12 and 1 <= hi <= 12):
            raise _bad(path, line, f"月份“{spec}”超出 1–12。", f"months '{spec}' outside 1-12.")
        out.extend(range(lo, hi + 1) if lo <= hi else [*range(lo, 13), *range(1, hi + 1)])
    return out


def _minutes(text: str, path: Path, line: int) -> int:
    m = re.fullmatch(r"(\d{1,2})(?:[:：](\d{2}))?", text.strip())
    if not m or int(m.group(1)) > 24 or int(m.group(2) or 0) > 59:
        raise _bad(path, line, f"时刻“{text}”无法识别（例：08:00、19:30、24:00）。",
                   f"cannot read the time '{text}' (e.g. 08:00, 19:30, 24:00).")
    minutes = int(m.group(1)) * 60 + int(m.group(2) or 0)
    if minutes > 24 * 60 or minutes % 30:
        raise _bad(path, line, f"时刻“{text}”须为整点或半点。",
                   f"time '{text}' must be on the hour or half hour.")
    return minutes


def _number(text: str, what: str, path: Path, line: int) -> float:
    try:
        value = float(text)
    except ValueError:
        raise _bad(path, line, f"{what}“{text}”不是数字。", f"{what} '{text}' is not a number.") from None
    if not np.isfinite(value) or value < 0:
        raise _bad(path, line, f"{what}须为非负数。", f"{what} must be a non-negative number.")
    return value


def _code(text: str, path: Path, line: int) -> str:
    code = _ALIASES.get(text.strip().lower()) or _ALIASES.get(text.strip())
    if code is None:
        raise _bad(path, line, f"时段“{text}”不认识（尖峰/高峰/平段/低谷/深谷）。",
                   f"unknown period '{text}' (sharp/peak/flat/valley/deep_valley).")
    return code


def _parse(path: Path, rows: list[dict[str, str]]) -> Tariff:
    meta: dict[str, str] = {}
    charges: dict[str, float] = {}
    base_price: dict[str, float] = {}
    month_price: dict[str, np.ndarray] = {}
    rules: list[tuple[str, list[int], int, int]] = []
    for i, row in enumerate(rows):
        line = i + 2  # header is line 1
        kind, key, value = row.get("type", "").lower(), row.get("key", ""), row.get("value", "")
        if kind == "meta":
            meta[key] = value
        elif kind == "charge":
            if key not in _CHARGES:
                raise _bad(path, line, f"费用项“{key}”不认识（{'、'.join(_CHARGES)}）。",
                           f"unknown charge '{key}' ({', '.join(_CHARGES)}).")
            charges[key] = _number(value, key, path, line)
        elif kind == "price":
            code = _code(key, path, line)
            price = _number(value, "电价 price", path, line)
            if row.get("months", "").strip():
                arr = month_price.setdefault(code, np.full(12, np.nan))
                arr[np.array(_months(row["months"], path, line)) - 1] = price
            else:
                base_price[code] = price
        elif kind == "period":
            start, end = _minutes(row.get("start", ""), path, line), _minutes(row.get("end", ""), path, line)
            if start == end or start == 24 * 60:
                raise _bad(path, line, "起止时刻相同或起点为 24:00。", "start equals end or starts at 24:00.")
            rules.append((_code(key, path, line), _months(row.get("months", ""), path, line), start, end))
        else:
            raise _bad(path, line, f"行类型“{kind}”不认识（meta/charge/price/period）。",
                       f"unknown row type '{kind}' (meta/charge/price/period).")
    missing = [k for k in _REQUIRED_META if not meta.get(k)]
    if missing:
        raise InputError(f"电价文件缺少 meta 行：{', '.join(missing)}。",
                         f"Tariff file lacks meta rows: {', '.join(missing)}.", path=str(path),
                         code="tariff.meta")
    if not rules:
        raise InputError("电价文件没有 period 行（哪些时刻是尖峰/高峰/低谷）。",
                         "Tariff file has no period rows (which hours are sharp/peak/valley).",
                         path=str(path), code="tariff.periods")
    table = _period_table(rules)
    used = set(np.unique(table).tolist())
    prices: dict[str, np.ndarray] = {}
    for code in used | set(base_price) | set(month_price):
        arr = np.full(12, base_price.get(code, np.nan))
        if code in month_price:
            arr = np.where(np.isnan(month_price[code]), arr, month_price[code])
        prices[code] = arr
    for code in used:
        months_used = np.unique(np.nonzero(table == code)[0])
        if np.isnan(prices[code][months_used]).any():
            gap = ", ".join(str(m + 1) for m in months_used if np.isnan(prices[code][m]))
            raise InputError(f"时段“{PERIOD_ZH[code]}”在 {gap} 月没有电价：加一行 price,{code},元/kWh。",
                             f"Period '{code}' has no price in month(s) {gap}: add a row "
                             f"price,{code},<yuan/kWh>.", path=str(path), code="tariff.price")
    return Tariff(
        key=meta.get("key") or path.stem, name_zh=meta["name_zh"], name_en=meta["name_en"],
        province=meta["province"], category=meta["category"], source=meta["source"],
        issued=meta["issued"], period_of_month_hour=table,
        price_yuan_kwh={c: float(base_price[c]) if c in base_price else float(np.nanmax(prices[c]))
                        for c in prices if not np.isnan(prices[c]).all()},
        demand_charge_yuan_kw_month=charges.get("demand_charge_yuan_kw_month", 0.0),
        capacity_charge_yuan_kva_month=charges.get("capacity_charge_yuan_kva_month", 0.0),
        export_price_yuan_kwh=charges.get("export_price_yuan_kwh", 0.0),
        price_month_yuan_kwh=prices, voltage=meta.get("voltage", ""),
        valid_from=meta.get("valid_from", ""), price_status=meta.get("price_status", ""),
        notes=meta.get("notes", ""), path=str(path))


def _period_table(rules: list[tuple[str, list[int], int, int]]) -> np.ndarray:
    """(12, 24|48) codes: flat everywhere, then each rule painted in order (later rules win)."""
    half = any(s % 60 or e % 60 for _, _, s, e in rules)
    slot_min = 30 if half else 60
    n = 24 * 60 // slot_min
    table = np.full((12, n), "flat", dtype=object)
    for code, months, start, end in rules:
        a, b = start // slot_min, end // slot_min
        cols = np.arange(a, b) if a < b else np.r_[np.arange(a, n), np.arange(0, b)]  # wraps midnight
        table[np.ix_(np.array(months) - 1, cols)] = code
    return table.astype(str)


# ---------------------------------------------------------------------------- NDRC 2021 check

def check_ndrc_2021(t: Tariff, peak_valley_gap_over_40pct: bool | None = None) -> list[Problem]:
    """Check a tariff against NDRC 发改价格〔2021〕1093号 (进一步完善分时电价机制).

    The notice: where the grid's peak–valley load gap exceeds 40 %, peak/valley price ≥ 4:1,
    elsewhere ≥ 3:1; the critical peak (尖峰) at least 20 % above the peak price. Checked month by
    month on the prices this tariff charges. ``peak_valley_gap_over_40pct=None`` (gap unknown)
    applies 3:1 and notes the months below 4:1.
    """
    probs: list[Problem] = []
    need = 4.0 if peak_valley_gap_over_40pct else 3.0
    low, below_four, sharp_low = [], [], []
    for m in range(12):
        codes = set(t.period_of_month_hour[m].tolist())
        if "peak" in codes and "valley" in codes:
            ratio = t.price_month_yuan_kwh["peak"][m] / max(t.price_month_yuan_kwh["valley"][m], 1e-12)
            if ratio < need - 1e-9:
                low.append(f"{m + 1}({ratio:.2f}:1)")
            elif peak_valley_gap_over_40pct is None and ratio < 4.0 - 1e-9:
                below_four.append(f"{m + 1}({ratio:.2f}:1)")
        if "sharp" in codes and "peak" in codes:
            premium = t.price_month_yuan_kwh["sharp"][m] / max(t.price_month_yuan_kwh["peak"][m], 1e-12)
            if premium < 1.2 - 1e-9:
                sharp_low.append(f"{m + 1}(+{(premium - 1) * 100:.0f}%)")
    rule = "（发改价格〔2021〕1093号）"
    if low:
        probs.append(Problem(
            "warning", "tariff.peak_valley_ratio",
            f"电价表“{t.name_zh}”峰谷价比低于 {need:.0f}:1{rule}，月份：{'、'.join(low)}。",
            f"Tariff '{t.name_en}': peak/valley price ratio below {need:.0f}:1 (NDRC 2021 No. 1093) "
            f"in month(s) {', '.join(low)}."))
    if below_four:
        probs.append(Problem(
            "info", "tariff.peak_valley_ratio_gap_unknown",
            f"电价表“{t.name_zh}”峰谷价比低于 4:1（系统峰谷差率超过 40% 的地方须 ≥4:1），"
            f"月份：{'、'.join(below_four)}。",
            f"Tariff '{t.name_en}': peak/valley ratio below 4:1 (required where the grid's "
            f"peak-valley load gap exceeds 40 %) in month(s) {', '.join(below_four)}."))
    if sharp_low:
        probs.append(Problem(
            "warning", "tariff.sharp_premium",
            f"电价表“{t.name_zh}”尖峰电价高出峰段不足 20%{rule}，月份：{'、'.join(sharp_low)}。",
            f"Tariff '{t.name_en}': critical-peak price less than 20 % above the peak price "
            f"(NDRC 2021 No. 1093) in month(s) {', '.join(sharp_low)}."))
    return probs


# ---------------------------------------------------------------------------- bill

@dataclass(frozen=True, eq=False)
class Bill:
    """An electricity bill over the series (元).

    energy_yuan_by_period: energy charge per period code; demand_yuan: the basic charge
    (demand or capacity); total_yuan = energy + demand (what the grid is paid);
    export_revenue_yuan: surplus sold at the export price; net_yuan = total − export revenue.
    peak_kw_by_month: highest interval-mean import per calendar month (0 for months absent).
    """

    energy_yuan_by_period: dict[str, float]
    energy_yuan: float
    demand_yuan: float
    total_yuan: float
    peak_kw_by_month: np.ndarray
    export_revenue_yuan: float = 0.0
    net_yuan: float = 0.0
    import_kwh: float = 0.0
    export_kwh: float = 0.0
    basic_charge: str = "demand"

    def to_dict(self) -> dict:
        return {"energy_yuan_by_period": dict(self.energy_yuan_by_period),
                "energy_yuan": self.energy_yuan, "demand_yuan": self.demand_yuan,
                "total_yuan": self.total_yuan, "export_revenue_yuan": self.export_revenue_yuan,
                "net_yuan": self.net_yuan, "import_kwh": self.import_kwh,
                "export_kwh": self.export_kwh, "basic_charge": self.basic_charge,
                "peak_kw_by_month": [float(v) for v in self.peak_kw_by_month]}


def _series(values, n: int, name: str) -> np.ndarray:
    arr = np.asarray(values, dtype=float).reshape(-1)
    if arr.size != n:
        raise InputError(f"{name} 长度 {arr.size} 与时间序列长度 {n} 不一致。",
                         f"{name} has {arr.size} values but the time index has {n}.",
                         code="tariff.length")
    if not np.isfinite(arr).all() or (arr < 0).any():
        raise InputError(f"{name} 含空值、无穷或负值：电网购/售电功率须为非负数。",
                         f"{name} has gaps, infinities or negative values: grid import/export "
                         "power must be non-negative.", code="tariff.values")
    return arr


def electricity_bill(import_kw, dt_h: float, index: pd.DatetimeIndex, tariff: Tariff, *,
                     export_kw=None, basic_charge: str = "demand",
                     transformer_kva: float | None = None) -> Bill:
    """The bill for grid import ``import_kw`` (mean kW per interval of ``dt_h`` hours).

    Energy charge: Σ kW·dt_h × price of the interval's period (split across the table slots an
    interval spans). Basic charge: ``"demand"`` = Σ over months present of the month's highest
    interval-mean kW × 需量电价 (the grid meters 15-min demand, so an hourly series understates
    it); ``"capacity"`` = ``transformer_kva`` × 容量电价 × months present. Export revenue: export
    kWh × the tariff's export price.
    """
    idx = _as_index(index)
    n = len(idx)
    imp = _series(import_kw, n, "import_kw")
    exp = _series(export_kw, n, "export_kw") if export_kw is not None else np.zeros(n)
    if not dt_h > 0:
        raise InputError("时间步长 dt_h 须为正。", "dt_h must be positive.", code="tariff.dt")
    kwh = imp * dt_h
    n_sub = _sub_slots(idx, tariff.slot_h)
    table = tariff.price_table()
    by_period = dict.fromkeys(np.unique(tariff.period_of_month_hour).tolist(), 0.0)
    for k in range(n_sub):
        month, slot = tariff._slot_index(idx, k * tariff.slot_h)
        codes = tariff.period_of_month_hour[month, slot]
        cost = kwh / n_sub * table[month, slot]
        for code in by_period:
            by_period[code] += float(cost[codes == code].sum())
    energy = float(sum(by_period.values()))
    month = idx.month.to_numpy() - 1
    peak = np.zeros(12)
    np.maximum.at(peak, month, imp)
    months_present = np.unique(month).size
    if basic_charge == "demand":
        basic = float(peak.sum() * tariff.demand_charge_yuan_kw_month)
    elif basic_charge == "capacity":
        if transformer_kva is None or not transformer_kva >= 0:
            raise InputError("按容量计收基本电费须给出变压器容量 transformer_kva（kVA）。",
                             "Capacity billing needs transformer_kva (kVA).", code="tariff.kva")
        basic = float(transformer_kva * tariff.capacity_charge_yuan_kva_month * months_present)
    elif basic_charge == "none":
        basic = 0.0
    else:
        raise InputError(f"基本电费方式“{basic_charge}”不认识（demand/capacity/none）。",
                         f"Unknown basic charge '{basic_charge}' (demand/capacity/none).",
                         code="tariff.basic")
    export_kwh = float(exp.sum() * dt_h)
    revenue = export_kwh * tariff.export_price_yuan_kwh
    total = energy + basic
    return Bill(energy_yuan_by_period=by_period, energy_yuan=energy, demand_yuan=basic,
                total_yuan=total, peak_kw_by_month=peak, export_revenue_yuan=revenue,
                net_yuan=total - revenue, import_kwh=float(kwh.sum()), export_kwh=export_kwh,
                basic_charge=basic_charge)


def price_problems(t: Tariff) -> list[Problem]:
    """A warning when the tariff's prices are not a published table (``price_status`` other than
    "published"): the periods are the notice's, the prices a snapshot to replace with the month's
    agency purchase price table (代理购电价格表) of the user's grid company."""
    if t.price_status.strip().lower() in ("published", "official", "user"):
        return []
    return [Problem("warning", "tariff.prices_illustrative",
                    f"电价“{t.name_zh}”的时段取自文件，价格为示意值（{t.price_status or '未注明来源'}）："
                    "电费与经济性仅供比较；请用本地电网企业当月代理购电价格表替换（同格式 CSV）",
                    f"the tariff '{t.name_en}' has the notice's periods but illustrative prices "
                    f"({t.price_status or 'no source given'}): the bill and economics are for comparison "
                    f"only; "
                    "replace them with the grid company's agency purchase price table of the month (a CSV in "
                    "the same format)")]
