"""The carbon-flow Sankey of one year: its flows and their layout (Qt-free; drawn by
app/charts/sankey_chart.py).

Four columns (issue #19):

0. fuels, plus on-site renewables (tce; kWh at the calorific equivalent 0.1229 kgce/kWh,
   GB/T 2589-2020, the method the accounting uses by default);
1. the six sectors — energy (tce) flows in, CO2 (t) flows out;
2. gross CO2 of energy use;
3. where it goes: net emissions, and the deductions of the carbon-efficiency method (DB33/T 1347-2023,
   DOMAIN.md §9) — zero-carbon (green) electricity at the accounting's grid factor, sinks and CCS —
   each its own flow.

Flows are in tce from column 0 to 1 and in tCO2 after; every node whose in- and outflows share a
unit conserves them (:func:`node_balance`). A sector's height is the larger of its two sides, and
both units are scaled so that their widest column fills the height.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from gis.carbon.sectors import SECTORS, UNMAPPED, sector_name
from gis.carbon.trends import TrendsResult
from gis.errors import InputError

ONSITE_TCE_PER_KWH = 0.1229e-3
"""Calorific equivalent of electricity, tce/kWh (GB/T 2589-2020: 0.1229 kgce/kWh)."""
NODE_COLUMNS = ["key", "label_zh", "label_en", "column", "kind"]
LINK_COLUMNS = ["source", "target", "value", "unit"]
_DEDUCTIONS = (("green", "零碳电力", "Zero-carbon electricity"), ("sinks", "碳汇", "Sinks"),
               ("ccs", "碳捕集封存", "CCS"))


@dataclass
class SankeyData:
    """Nodes (``key, label_zh, label_en, column, kind``) and links (``source, target, value,
    unit``: "tce" or "t_co2") of one year."""

    year: int
    nodes: pd.DataFrame
    links: pd.DataFrame

    def to_dict(self) -> dict:
        """JSON-ready ``nodes`` and ``links`` (the ``sankey`` of ``--json``)."""
        return {"year": self.year,
                "nodes": [{"key": k, "name_zh": z, "name_en": e, "column": int(c), "kind": kd}
                          for k, z, e, c, kd in self.nodes[NODE_COLUMNS].itertuples(index=False)],
                "links": [{"source": s, "target": t, "value": float(v), "unit": u}
                          for s, t, v, u in self.links[LINK_COLUMNS].itertuples(index=False)]}

    def table(self, lang: str = "zh") -> pd.DataFrame:
        """Links with node names and the share of their source's outflow (pct)."""
        label = self.nodes["label_zh" if lang == "zh" else "label_en"]
        name = dict(zip(self.nodes["key"], label, strict=True))
        out = self.links.copy()
        total = out.groupby(["source", "unit"])["value"].transform("sum")
        out["share_of_source_pct"] = 100.0 * out["value"] / total.where(total > 0)
        out.insert(1, "source_name", out["source"].map(name))
        out.insert(3, "target_name", out["target"].map(name))
        return out


def carbon_flows(trends: TrendsResult, year: int | None = None, *, onsite_kwh: float = 0.0,
                 extra_sinks_t_co2: float = 0.0) -> SankeyData:
    """The flows of ``year`` (default the latest).

    onsite_kwh: on-site renewable electricity used in the park that year (kWh; not in the energy
        table, which holds purchases), split over the sectors in proportion to their electricity.
    extra_sinks_t_co2: sinks not in the table (e.g. the park's green space, gis.carbon.sinks), t.
    """
    year = trends.years[-1] if year is None else int(year)
    if year not in trends.years:
        raise InputError(f"表中没有 {year} 年。可选：{'、'.join(map(str, trends.years))}",
                         f"No {year} in the table. Years: {', '.join(map(str, trends.years))}",
                         code="sankey.year")
    if onsite_kwh < 0 or extra_sinks_t_co2 < 0:
        raise InputError("园区内可再生电量和碳汇不能为负",
                         "On-site renewable kWh and sinks cannot be negative", code="sankey.negative")
    d = trends.detail[trends.detail["year"] == year]
    ent = trends.entities[trends.entities["year"] == year]
    fuel_order = list(dict.fromkeys(trends.emissions.factors.fuels.index))
    fuel_links = d.groupby(["fuel", "sector6"], sort=False)["tce"].sum().reset_index()
    fuel_links = fuel_links[fuel_links["tce"] > 0]
    fuels = sorted(set(fuel_links["fuel"]), key=lambda f: fuel_order.index(f) if f in fuel_order else 999)
    fuel_zh = dict(zip(d["fuel"], d["fuel_zh"], strict=False))
    sectors = [s for s in (*SECTORS, UNMAPPED) if s in set(ent["sector6"])]
    sector_co2 = ent.groupby("sector6")["t_co2"].sum()

    nodes = [(f"fuel:{f}", str(fuel_zh.get(f, f)), f.replace("_", " "), 0, "fuel") for f in fuels]
    links = [(f"fuel:{f}", f"sector:{s}", float(v), "tce")
             for f in fuels for s, v in zip(fuel_links.loc[fuel_links["fuel"] == f, "sector6"],
                                            fuel_links.loc[fuel_links["fuel"] == f, "tce"], strict=True)]
    if onsite_kwh > 0:
        nodes.append(("onsite", "园区内可再生能源", "On-site renewables", 0, "renewable"))
        elec = d[d["fuel"] == "electricity"].groupby("sector6")["amount_canonical"].sum()
        weights = elec.reindex(sectors).fillna(0.0)
        if weights.sum() <= 0:  # no purchased electricity at all: split by energy use instead
            weights = d.groupby("sector6")["tce"].sum().reindex(sectors).fillna(0.0)
        share = weights / weights.sum()
        links += [("onsite", f"sector:{s}", float(onsite_kwh * ONSITE_TCE_PER_KWH * w), "tce")
                  for s, w in share.items() if w > 0]
    nodes += [(f"sector:{s}", sector_name(s, "zh"), sector_name(s, "en"), 1, "sector") for s in sectors]
    nodes.append(("gross", "能源活动 CO₂", "CO₂ of energy use", 2, "co2"))
    links += [(f"sector:{s}", "gross", float(sector_co2.get(s, 0.0)), "t_co2") for s in sectors
              if sector_co2.get(s, 0.0) > 0]
    gross = float(sector_co2.sum())
    grid = trends.emissions.grid_kg_co2_per_kwh / 1000.0
    col = {c: float(pd.to_numeric(ent[c], errors="coerce").fillna(0.0).clip(lower=0).sum())
           if c in ent else 0.0 for c in ("green_kwh", "sink_t_co2", "ccs_t_co2")}
    deductions = {"green": col["green_kwh"] * (grid if np.isfinite(grid) else 0.0),
                  "sinks": col["sink_t_co2"] + float(extra_sinks_t_co2), "ccs": col["ccs_t_co2"]}
    for key, zh, en in _DEDUCTIONS:
        if deductions[key] > 0:
            nodes.append((key, zh, en, 3, "deduction"))
            links.append(("gross", key, deductions[key], "t_co2"))
    net = gross - sum(deductions.values())
    nodes.append(("net", "净排放", "Net emissions", 3, "net"))
    links.append(("gross", "net", max(net, 0.0), "t_co2"))
    if net < 0:  # deductions beyond the gross emissions: the surplus enters as its own flow
        nodes.append(("surplus", "抵扣盈余", "Deductions beyond emissions", 2, "surplus"))
        links.append(("surplus", "gross", -net, "t_co2"))
    node_frame = pd.DataFrame(nodes, columns=NODE_COLUMNS)
    link_frame = pd.DataFrame(links, columns=LINK_COLUMNS)
    link_frame = link_frame[link_frame["value"] > 0].reset_index(drop=True)
    return SankeyData(year, node_frame, link_frame)


def node_balance(data: SankeyData) -> pd.DataFrame:
    """Per node and unit: ``inflow, outflow`` (sum of links) and ``balance_pct`` =
    100 × (in − out) / max(in, out) where the node has both (else NaN)."""
    links = data.links
    inflow = links.groupby(["target", "unit"])["value"].sum().rename("inflow").rename_axis(["key", "unit"])
    outflow = links.groupby(["source", "unit"])["value"].sum().rename("outflow").rename_axis(["key", "unit"])
    b = pd.concat([inflow, outflow], axis=1).reset_index()
    both = b["inflow"].notna() & b["outflow"].notna()
    b["balance_pct"] = np.where(both, 100.0 * (b["inflow"] - b["outflow"])
                                / np.maximum(b["inflow"], b["outflow"]).where(both, 1.0), np.nan)
    return b


@dataclass
class SankeyLayout:
    """Positions in the drawing's units (pixels or points): nodes with ``x0, x1, y0, y1`` and
    ``value_in, value_out``; links with ``x0, x1`` (source right edge, target left edge), ``ys0, ys1``
    (band top at the source and at the target) and ``width`` (band thickness). ``scale`` per unit."""

    nodes: pd.DataFrame
    links: pd.DataFrame
    scale: dict[str, float]


def sankey_layout(data: SankeyData, width: float, height: float, *, node_width: float = 12.0,
                  gap: float = 8.0) -> SankeyLayout:
    """Nodes in their columns (top-down in the data's order, each column centred), bands stacked
    in the order of their other end so that they do not cross at the nodes."""
    nodes = data.nodes.reset_index(drop=True).copy()
    links = data.links.reset_index(drop=True).copy()
    vin = links.groupby(["target", "unit"])["value"].sum()
    vout = links.groupby(["source", "unit"])["value"].sum()
    units = sorted(set(links["unit"]))
    # one unit's "full column": the largest total of that unit on either side of any column
    full = {}
    col_of = dict(zip(nodes["key"], nodes["column"], strict=True))
    for u in units:
        sides = [side.xs(u, level="unit") for side in (vin, vout) if u in side.index.get_level_values("unit")]
        full[u] = max(float(s.groupby(s.index.map(col_of)).sum().max()) for s in sides if len(s))
    norm_in = np.zeros(len(nodes))
    norm_out = np.zeros(len(nodes))
    for i, key in enumerate(nodes["key"]):
        for u in units:
            norm_in[i] = max(norm_in[i], float(vin.get((key, u), 0.0)) / full[u])
            norm_out[i] = max(norm_out[i], float(vout.get((key, u), 0.0)) / full[u])
    norm = np.maximum(norm_in, norm_out)
    cols = sorted(set(nodes["column"]))
    per_col = {c: norm[(nodes["column"] == c).to_numpy()] for c in cols}
    k = min((height - gap * (len(v) - 1)) / v.sum() for v in per_col.values() if v.sum() > 0)
    scale = {u: k / full[u] for u in units}
    step = (width - node_width) / max(len(cols) - 1, 1)
    x0 = np.array([cols.index(c) * step for c in nodes["column"]])
    y0 = np.zeros(len(nodes))
    for c in cols:
        idx = np.flatnonzero((nodes["column"] == c).to_numpy())
        h = norm[idx] * k
        top = (height - (h.sum() + gap * (len(idx) - 1))) / 2
        y0[idx] = top + np.concatenate([[0.0], np.cumsum(h + gap)[:-1]])
    nodes["x0"], nodes["x1"] = x0, x0 + node_width
    nodes["y0"], nodes["y1"] = y0, y0 + norm * k
    nodes["value_in"] = [float(vin.xs(key, level="target").sum()) if key in vin.index.get_level_values(0)
                         else 0.0 for key in nodes["key"]]
    nodes["value_out"] = [float(vout.xs(key, level="source").sum()) if key in vout.index.get_level_values(0)
                          else 0.0 for key in nodes["key"]]
    order = {key: i for i, key in enumerate(nodes["key"])}
    pos = nodes.set_index("key")
    links["width"] = links["value"].to_numpy() * links["unit"].map(scale).to_numpy()
    links["x0"] = links["source"].map(pos["x1"]).to_numpy()
    links["x1"] = links["target"].map(pos["x0"]).to_numpy()
    # stack each node's bands: outgoing in the order of their targets, incoming of their sources
    links["_so"], links["_to"] = links["source"].map(order), links["target"].map(order)
    by_src = links.sort_values(["_so", "_to"])
    below = by_src.groupby("source")["width"].cumsum() - by_src["width"]
    links.loc[by_src.index, "ys0"] = (by_src["source"].map(pos["y0"]) + below).to_numpy()
    by_tgt = links.sort_values(["_to", "_so"])
    below = by_tgt.groupby("target")["width"].cumsum() - by_tgt["width"]
    links.loc[by_tgt.index, "ys1"] = (by_tgt["target"].map(pos["y0"]) + below).to_numpy()
    return SankeyLayout(nodes, links.drop(columns=["_so", "_to"]), scale)
