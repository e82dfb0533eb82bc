"""Enterprises placed by their address (issue #20: "by address match to a user table").

The user gives a table of addresses with coordinates (their own geocoded list, a 标准地址 extract,
a parcel register); each enterprise's address (地址/注册地址 …, :data:`ADDRESS_NAMES`) is
normalised the same way and matched:

1. **exact** — equal normalised addresses;
2. **fuzzy** — token overlap: an address is cut into its parts at the place words
   (``临浦镇|峙山路|88号``: :func:`address_tokens`); the score of two addresses is the Dice
   coefficient 2·|A∩B| ÷ (|A| + |B|) of their part sets, kept when ≥ ``threshold`` (default
   :data:`DEFAULT_THRESHOLD`). Several table rows at the top score with different coordinates
   make the match **ambiguous** (not placed, listed); none above the threshold: **unmatched**.

Normalisation (:func:`normalise_address`): full-width → half-width (Unicode NFKC, so "８８号" =
"88号"), whitespace and punctuation dropped, the leading province / city / county (省、自治区、
直辖市, 市, 区/县) removed — users' tables write them or not —, building words unified (幢/座/号楼 →
栋), leading zeros of numbers dropped ("008号" → "8号"), Chinese numerals before 号/弄/栋/楼/室
written in digits ("十二号" → "12号").

Vectorised: pandas string operations for normalisation, a dictionary join for exact matches, and
for fuzzy ones sparse part matrices (scipy): each query's candidates are the table rows sharing its
rarest pair of adjacent parts (or part), scored all at once — 100,000 addresses in seconds
(tests/test_address_match.py). A match that shares no such pair with the query is not found: an
approximation that keeps the work proportional to the rows, not their square.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from gis.errors import InputError, Problem
from gis.fields import LAT_NAMES, LON_NAMES, find_field

ADDRESS_NAMES = ("地址", "注册地址", "企业地址", "生产地址", "经营地址", "详细地址", "通讯地址", "address",
                 "addr")
"""Address column names, best first (the enterprise table and the user's address table)."""
DEFAULT_THRESHOLD = 0.6
"""Least Dice score of a fuzzy match. With three parts (镇 · 路 · 号) two shared give 0.67–0.8 and
one shared at most 0.5: 0.6 takes a street and number that agree and refuses a shared street alone
(checked by hand on the cases in tests/test_address_match.py; raise it for stricter matches)."""

_PROVINCES = ("北京市", "天津市", "上海市", "重庆市", "河北省", "山西省", "辽宁省", "吉林省", "黑龙江省",
              "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省",
              "广东省", "海南省", "四川省", "贵州省", "云南省", "陕西省", "甘肃省", "青海省", "台湾省",
              "内蒙古自治区",
              "广西壮族自治区", "西藏自治区", "宁夏回族自治区", "新疆维吾尔自治区", "香港特别行政区",
              "澳门特别行政区")
"""GB/T 2260 provincial-level names, stripped from the start of an address."""
_NOT_ADMIN = "0-9路街道巷弄号栋村镇乡大园室楼"
_PREFIX = re.compile(
    "^(?:" + "|".join(map(re.escape, sorted(_PROVINCES, key=len, reverse=True))) + r"|[^\d路街]{2,3}省)?"
    rf"(?:[^{_NOT_ADMIN}市]{{2,4}}市)?(?:[^{_NOT_ADMIN}区县市]{{1,5}}(?:区|县))?")
_PUNCT = r"[\s,，。.．·:：;；、'\"“”‘’()（）\[\]【】<>《》#＃\-—_/\\]+"
_PLACE_WORDS = "路街道巷弄号栋村镇乡室楼园组区"
_PART = re.compile(rf"[^{_PLACE_WORDS}]*?(?:大道|[{_PLACE_WORDS}])|[^{_PLACE_WORDS}]+$")
_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}
_ZH_NUMBER = re.compile(r"([零〇一二两三四五六七八九十百]+)(?=[号弄栋楼室])")
MATCH_KINDS = ("exact", "fuzzy", "ambiguous", "unmatched")


def _zh_to_int(text: str) -> str:
    """"十二" → "12", "一百零五" → "105", "二十" → "20"; without 十/百 digit by digit: "一零五" → "105"."""
    if "十" not in text and "百" not in text:
        return "".join(str(_ZH_DIGITS[ch]) for ch in text)
    total, cur = 0, 0
    for ch in text:
        if ch in "百十":
            total += (cur or 1) * (100 if ch == "百" else 10)
            cur = 0
        else:
            cur = _ZH_DIGITS[ch]
    return str(total + cur)


def normalise_address(values) -> pd.Series:
    """Normalised addresses (see the module doc); NA stays NA, an empty result is NA."""
    s = pd.Series(values, dtype="string").str.normalize("NFKC")
    s = s.str.replace(_PUNCT, "", regex=True)
    s = s.str.replace(_PREFIX, "", regex=True)
    s = s.str.replace(r"号楼|幢|座|号栋", "栋", regex=True)
    s = s.str.replace(_ZH_NUMBER, lambda m: _zh_to_int(m.group(1)), regex=True)
    s = s.str.replace(r"(?<!\d)0+(?=\d)", "", regex=True)
    s = s.str.lower()
    return s.where(s.str.len() > 0, pd.NA)


def address_tokens(normalised: str) -> frozenset[str]:
    """The parts of a normalised address, each ending in its place word: "临浦镇峙山路88号" →
    {"临浦镇", "峙山路", "88号"}."""
    if not isinstance(normalised, str) or not normalised:
        return frozenset()
    return frozenset(t for t in _PART.findall(normalised) if t)


@dataclass
class AddressMatch:
    """Per query row: ``address`` (as given), ``normalised``, ``match`` (:data:`MATCH_KINDS`),
    ``score`` (1.0 exact; Dice for fuzzy; the top score when ambiguous), ``row`` (the address
    table's row, −1 none), ``lon``/``lat`` (NaN unless matched), ``candidates`` (rows at the top
    score, ambiguous only)."""

    table: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        c = self.table["match"].value_counts()
        return {k: int(c.get(k, 0)) for k in MATCH_KINDS}


def _find_columns(book: pd.DataFrame, address_col, lon_col, lat_col) -> tuple[str, str, str]:
    a = address_col or find_field(book.columns, ADDRESS_NAMES)
    x = lon_col or find_field(book.columns, LON_NAMES)
    y = lat_col or find_field(book.columns, LAT_NAMES)
    missing = [n for n, c in (("地址 address", a), ("经度 longitude", x), ("纬度 latitude", y)) if c is None]
    if missing:
        raise InputError(f"地址表缺少列：{'、'.join(missing)}（现有列：{'、'.join(map(str, book.columns))}）",
                         f"The address table has no column for: {', '.join(missing)} (columns: "
                         f"{', '.join(map(str, book.columns))})", code="address.columns")
    return str(a), str(x), str(y)


def match_addresses(addresses, book: pd.DataFrame, *, address_col: str | None = None,
                    lon_col: str | None = None, lat_col: str | None = None,
                    threshold: float = DEFAULT_THRESHOLD) -> AddressMatch:
    """Match ``addresses`` (a sequence of texts) to ``book`` (address, longitude, latitude
    columns, found by name when not given; coordinates as in the book, its CRS is the caller's)."""
    a_col, x_col, y_col = _find_columns(book, address_col, lon_col, lat_col)
    q_raw = pd.Series(list(addresses), dtype="string")
    q = normalise_address(q_raw).reset_index(drop=True)
    b = normalise_address(book[a_col]).reset_index(drop=True)
    bx = pd.to_numeric(book[x_col], errors="coerce").to_numpy(float)
    by = pd.to_numeric(book[y_col], errors="coerce").to_numpy(float)
    ok_b = b.notna().to_numpy() & np.isfinite(bx) & np.isfinite(by)
    n = len(q)
    row = np.full(n, -1, dtype=np.int64)
    score = np.zeros(n)
    kind = np.full(n, "unmatched", dtype=object)
    cands = np.empty(n, dtype=object)
    cands[:] = [()] * n if n else []
    # exact: one key → its rows; several rows at one address with different points: ambiguous
    bk = pd.DataFrame({"key": b[ok_b].to_numpy(dtype=object), "row": np.flatnonzero(ok_b),
                       "x": bx[ok_b].round(7), "y": by[ok_b].round(7)})
    distinct = bk.drop_duplicates(["key", "x", "y"])
    per_key = distinct.groupby("key")["row"].agg(["size", "first"])
    n_at = q.map(per_key["size"]).to_numpy(dtype=float)
    has = np.isfinite(n_at)
    one = np.flatnonzero(n_at == 1)
    row[one], score[one], kind[one] = q.iloc[one].map(per_key["first"]).to_numpy(dtype=np.int64), 1.0, "exact"
    many = np.flatnonzero(n_at > 1)
    if len(many):  # tuples only for the few ambiguous keys
        several = distinct[distinct["key"].isin(set(q.iloc[many]))].groupby("key")["row"].agg(tuple)
        score[many], kind[many] = 1.0, "ambiguous"
        cands[many] = q.iloc[many].map(several).to_numpy(dtype=object)
    todo = np.flatnonzero(~has & q.notna().to_numpy())
    if len(todo) and ok_b.any():
        _fuzzy(q, b, ok_b, bx, by, todo, threshold, row, score, kind, cands)
    lon = np.where(row >= 0, bx[np.maximum(row, 0)], np.nan)
    lat = np.where(row >= 0, by[np.maximum(row, 0)], np.nan)
    table = pd.DataFrame({"address": q_raw.to_numpy(), "normalised": q.to_numpy(), "match": kind,
                          "score": score, "row": row, "lon": lon, "lat": lat, "candidates": cands})
    out = AddressMatch(table)
    c = out.counts()
    out.problems.append(Problem("info", "address.counts",
                                f"地址匹配：精确 {c['exact']}，模糊 {c['fuzzy']}，多义 {c['ambiguous']}，"
                                f"未匹配 {c['unmatched']}（阈值 {threshold}）",
                                f"Address match: exact {c['exact']}, fuzzy {c['fuzzy']}, ambiguous "
                                f"{c['ambiguous']}, unmatched {c['unmatched']} (threshold {threshold})"))
    return out


def _fuzzy(q, b, ok_b, bx, by, todo, threshold, row, score, kind, cands) -> None:
    """Token-overlap matches of the queries ``todo`` (fills row/score/kind/cands in place).

    Candidates: the table rows sharing the query's rarest *key* — a pair of adjacent parts
    ("峙山路|88号") when the table knows one, else a single part — so a query meets tens of rows,
    not every row on its street; the Dice score is then computed on the parts of each candidate."""
    from scipy import sparse

    q_parts = [_PART.findall(t) for t in q.iloc[todo]]
    b_rows = np.flatnonzero(ok_b)
    b_parts = [_PART.findall(t) for t in b.iloc[b_rows]]
    tokens: dict[str, int] = {}
    keys: dict[str, int] = {}

    def ids(parts: list[str], table: dict[str, int], add: bool, pairs: bool) -> list[int]:
        items = [f"{a}\x1f{c}" for a, c in itertools.pairwise(parts)] if pairs else parts
        if add:
            return sorted({table.setdefault(t, len(table)) for t in items})
        return sorted({table[t] for t in items if t in table})

    def matrix(lists: list[list[int]], width: int):
        ind = np.fromiter((i for li in lists for i in li), dtype=np.int64)
        ptr = np.r_[0, np.cumsum([len(li) for li in lists])]
        return sparse.csr_matrix((np.ones(len(ind), dtype=np.float32), ind, ptr), shape=(len(lists), width))

    b_tok = [ids(p, tokens, True, False) for p in b_parts]
    b_key = [ids(p, keys, True, True) for p in b_parts]
    q_tok = [ids(p, tokens, False, False) for p in q_parts]
    q_key = [ids(p, keys, False, True) for p in q_parts]
    bm, qm = matrix(b_tok, len(tokens)), matrix(q_tok, len(tokens))
    key_df = np.diff(matrix(b_key, len(keys)).tocsc().indptr)
    tok_csc = bm.tocsc()
    key_csc = matrix(b_key, len(keys)).tocsc()
    tok_df = np.diff(tok_csc.indptr)
    # the rarest key of each query: a shared pair of parts, else its rarest single part
    pick_pair = np.array([bool(k) for k in q_key])
    which = np.array([min(k, key=key_df.__getitem__) if k else (min(t, key=tok_df.__getitem__) if t else -1)
                      for k, t in zip(q_key, q_tok, strict=True)], dtype=np.int64)
    qi_list, bj_list = [], []
    for use_pair, csc in ((True, key_csc), (False, tok_csc)):
        sel = np.flatnonzero((pick_pair == use_pair) & (which >= 0))
        if not len(sel):
            continue
        k = which[sel]
        starts, lengths = csc.indptr[k], csc.indptr[k + 1] - csc.indptr[k]
        qi_list.append(np.repeat(sel, lengths))
        offs = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        bj_list.append(csc.indices[np.repeat(starts, lengths) + offs])
    if not qi_list:
        return
    qi, bj = np.concatenate(qi_list), np.concatenate(bj_list)
    overlap = np.asarray(qm[qi].multiply(bm[bj]).sum(axis=1), dtype=float).ravel()
    q_len = np.array([len(t) for t in q_parts], dtype=float)  # parts the table does not know count too
    b_len = np.diff(bm.indptr).astype(float)
    dice = 2.0 * overlap / np.maximum(q_len[qi] + b_len[bj], 1.0)
    good = dice >= threshold - 1e-12
    qi, bj, dice = qi[good], bj[good], dice[good]
    if not len(qi):
        return
    order = np.lexsort((-dice, qi))
    qi, bj, dice = qi[order], bj[order], dice[order]
    first = np.r_[True, qi[1:] != qi[:-1]]
    top = np.maximum.reduceat(dice, np.flatnonzero(first))
    top_of = np.repeat(top, np.diff(np.r_[np.flatnonzero(first), len(qi)]))
    at_top = np.isclose(dice, top_of, rtol=0, atol=1e-9)
    xs = np.round(np.asarray(bx, dtype=float)[b_rows[bj]], 7)
    ys = np.round(np.asarray(by, dtype=float)[b_rows[bj]], 7)
    frame = pd.DataFrame({"q": qi[at_top], "b": b_rows[bj[at_top]], "x": xs[at_top], "y": ys[at_top],
                          "s": dice[at_top]}).drop_duplicates(["q", "x", "y"])
    n_top = frame["q"].map(frame.groupby("q").size())
    single = frame[n_top == 1]
    idx = todo[single["q"].to_numpy()]
    row[idx], score[idx], kind[idx] = single["b"].to_numpy(), single["s"].to_numpy(), "fuzzy"
    multi = frame[n_top > 1]
    if len(multi):
        idx = todo[multi["q"].drop_duplicates().to_numpy()]
        score[idx], kind[idx] = multi.groupby("q")["s"].first().to_numpy(), "ambiguous"
        qv, starts = np.unique(multi["q"].to_numpy(), return_index=True)  # frame is sorted by q
        rows = np.split(multi["b"].to_numpy(dtype=np.int64), starts[1:])
        cands[todo[qv]] = [tuple(int(v) for v in r) for r in rows]
