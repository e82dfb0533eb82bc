"""Address normalisation and matching by hand (gis/carbon/address_match.py), and placement by address."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest

from gis.carbon.address_match import address_tokens, match_addresses, normalise_address
from gis.carbon.placement import place_enterprises


@pytest.mark.parametrize(("raw", "expected"), [
    ("浙江省杭州市萧山区临浦镇峙山路８８号", "临浦镇峙山路88号"),       # full width, 省市区 prefix
    ("杭州市 萧山区  临浦镇，峙山路 008 号", "临浦镇峙山路8号"),        # spaces, punctuation, zeros
    ("临浦镇峙山路十二号3号楼", "临浦镇峙山路12号3栋"),                # 十二 → 12, 号楼 → 栋
    ("义桥镇民丰路一百零五号二幢", "义桥镇民丰路105号2栋"),           # 一百零五, 幢 → 栋
    ("人民路市场1座", "人民路市场1栋"),                               # 路…市 is no city prefix
    ("ＡＢＣ工业园Ｂ区", "abc工业园b区"),
])
def test_normalise_by_hand(raw, expected):
    assert normalise_address([raw]).iloc[0] == expected


def test_normalise_empty_is_na():
    s = normalise_address([None, "  ", "，"])
    assert s.isna().all()


def test_tokens_by_hand():
    assert address_tokens("临浦镇峙山路88号") == {"临浦镇", "峙山路", "88号"}
    assert address_tokens("峙山路12号3栋") == {"峙山路", "12号", "3栋"}
    assert address_tokens("") == frozenset()


def _book():
    return pd.DataFrame({"地址": ["杭州市萧山区临浦镇峙山路88号", "临浦镇峙山路90号", "义桥镇民丰路5号",
                                 "义桥镇民丰路5号", "戴村镇云石路7号", "戴村镇云石路7号"],
                         "经度": [120.1, 120.2, 120.3, 120.31, 120.4, 120.4],
                         "纬度": [30.1, 30.2, 30.3, 30.31, 30.4, 30.4]})


def test_match_kinds_by_hand():
    q = ["浙江省杭州市萧山区临浦镇峙山路88号",  # exact after normalisation → row 0
         "峙山路88号",                          # Dice vs {临浦镇,峙山路,88号}: 2·2/(2+3) = 0.8 → row 0
         "义桥镇民丰路5号",                      # two rows, two places → ambiguous
         "戴村镇云石路7号",                      # two rows, one place → exact (row 4)
         "峙山路",                              # 2·1/(1+3) = 0.5 < 0.6 against rows 0 and 1 → unmatched
         "临浦镇峙山路99号",                     # 2·2/(3+3) = 0.67 with rows 0 AND 1 → ambiguous
         None]
    m = match_addresses(q, _book())
    t = m.table
    assert list(t["match"]) == ["exact", "fuzzy", "ambiguous", "exact", "unmatched", "ambiguous", "unmatched"]
    assert list(t["row"]) == [0, 0, -1, 4, -1, -1, -1]
    assert t["score"].iloc[1] == pytest.approx(0.8)
    assert t["score"].iloc[5] == pytest.approx(2 * 2 / 6)
    assert set(t["candidates"].iloc[5]) == {0, 1}
    assert t["lon"].iloc[1] == 120.1 and np.isnan(t["lon"].iloc[2])
    assert m.counts() == {"exact": 2, "fuzzy": 1, "ambiguous": 2, "unmatched": 2}


def test_threshold_changes_the_answer():
    m = match_addresses(["峙山路88号"], _book(), threshold=0.85)
    assert m.table["match"].iloc[0] == "unmatched"


def test_place_by_address():
    table = pd.DataFrame({"entity": ["A", "B", "C", "D"],
                          "地址": ["临浦镇峙山路88号", "义桥镇民丰路5号", "不存在路1号", None],
                          "经度": [np.nan, np.nan, np.nan, 120.5], "纬度": [np.nan, np.nan, np.nan, 30.5]})
    p = place_enterprises(table, addresses=_book())
    got = dict(zip(p.points["entity"], p.points["placed_by"], strict=True))
    assert got == {"A": "address", "D": "lonlat"}
    a = p.points[p.points["entity"] == "A"].geometry.iloc[0]
    assert (a.x, a.y) == pytest.approx((120.1, 30.1))
    reasons = dict(zip(p.unplaced["entity"], p.unplaced["reason"], strict=True))
    assert reasons == {"B": "address_ambiguous", "C": "address_unmatched"}
    assert p.summary()["by_address"] == 1


def test_100k_addresses_in_seconds():
    rng = np.random.default_rng(1)
    n = 100_000
    towns = np.array([f"T{i}镇" for i in range(40)], dtype=object)
    roads = np.array([f"R{i}" for i in range(500)], dtype=object)
    t, r, h = rng.integers(0, 40, n), rng.integers(0, 500, n), rng.integers(1, 300, n)
    book = pd.DataFrame({"地址": towns[t] + roads[r].astype(str) + "路" + h.astype(str) + "号",
                         "lon": rng.uniform(120, 121, n), "lat": rng.uniform(30, 31, n)})
    # half written the same (exact), half without the town (fuzzy)
    q = np.where(np.arange(n) % 2 == 0, book["地址"].to_numpy(), roads[r] + "路" + h.astype(str) + "号")
    t0 = time.perf_counter()
    m = match_addresses(q, book)
    dt = time.perf_counter() - t0
    c = m.counts()
    assert c["exact"] + c["ambiguous"] >= n // 2 - 50
    assert c["fuzzy"] > n // 4
    assert dt < 20.0, dt
