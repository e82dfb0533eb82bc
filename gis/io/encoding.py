"""Text encoding of Shapefile attribute tables (DBF), and detection of mojibake.

Order of evidence (as GDAL and ArcGIS do, plus a byte check GDAL lacks):
1. a ``.cpg`` file next to the ``.dbf``;
2. the DBF header's language-driver id (byte 29), e.g. 0x4D = code page 936 (GBK);
3. the bytes themselves: strict UTF-8 if every record decodes; else GB18030 if the high
   bytes pair up like Chinese text; else Windows-1252 (Latin-1 superset).
"""

from __future__ import annotations

import codecs
import re
import struct
from dataclasses import dataclass

import numpy as np
import pandas as pd

from gis.errors import InputError

# DBF language driver ids → Python codec (ESRI/xBase tables; 0x57 means "ANSI": not a code page).
LDID_CODEPAGES: dict[int, str] = {
    0x01: "cp437", 0x02: "cp850", 0x03: "cp1252", 0x08: "cp865", 0x09: "cp437",
    0x0A: "cp850", 0x0B: "cp437", 0x0D: "cp437", 0x0E: "cp850", 0x0F: "cp437",
    0x10: "cp850", 0x11: "cp437", 0x12: "cp850", 0x13: "cp932", 0x14: "cp850",
    0x15: "cp437", 0x16: "cp850", 0x17: "cp865", 0x18: "cp437", 0x19: "cp437",
    0x1A: "cp850", 0x1B: "cp437", 0x1C: "cp863", 0x1D: "cp850", 0x1F: "cp852",
    0x22: "cp852", 0x23: "cp852", 0x24: "cp860", 0x25: "cp850", 0x26: "cp866",
    0x37: "cp850", 0x40: "cp852", 0x4D: "gbk", 0x4E: "cp949", 0x4F: "big5",
    0x50: "cp874", 0x58: "cp1252", 0x59: "cp1252", 0x64: "cp852", 0x65: "cp866",
    0x66: "cp865", 0x67: "cp861", 0x6A: "cp737", 0x6B: "cp857", 0x78: "big5",
    0x79: "cp949", 0x7A: "gbk", 0x7B: "cp932", 0x7C: "cp874", 0x7D: "cp1255",
    0x7E: "cp1256", 0x86: "cp737", 0x87: "cp852", 0x88: "cp857", 0xC8: "cp1250",
    0xC9: "cp1251", 0xCA: "cp1254", 0xCB: "cp1253", 0xCC: "cp1257",
}

# .cpg contents seen in the wild → codec
_CPG_ALIASES = {
    "utf8": "utf-8", "utf-8": "utf-8", "65001": "utf-8",
    "936": "gbk", "cp936": "gbk", "ansi936": "gbk", "gbk": "gbk", "gb2312": "gbk",
    "gb18030": "gb18030", "54936": "gb18030",
    "950": "big5", "big5": "big5", "1252": "cp1252", "ansi1252": "cp1252",
    "88591": "latin-1", "iso88591": "latin-1", "latin1": "latin-1",
}


@dataclass(frozen=True)
class EncodingGuess:
    """codec: Python codec name; source: 'cpg' | 'ldid' | 'detected' | 'user' | 'format';
    detail: human explanation (English), detail_zh the same in Chinese (the Chinese UI and data
    report show it); bad_records: records that failed to decode; overruled: the declared codec
    the bytes contradicted, if any."""

    codec: str
    source: str
    detail: str
    bad_records: int = 0
    overruled: str | None = None  # the declared codec (.cpg/LDID) the bytes contradicted
    detail_zh: str = ""

    def detail_in(self, lang: str) -> str:
        """The explanation in ``lang`` ("zh"/"en"; English when no Chinese was given)."""
        return self.detail_zh if lang == "zh" and self.detail_zh else self.detail


def checked_encoding(name: str) -> str:
    """The Python codec of a text encoding the user named (``--encoding``), or a bilingual error:
    an unknown name, or a codec that is no text encoding (base64, rot13 …)."""
    try:
        info = codecs.lookup(str(name).strip())
    except (LookupError, ValueError, TypeError):
        info = None
    if info is None or not getattr(info, "_is_text_encoding", True):
        raise InputError(f"未知的文字编码“{name}”；常用的有 gbk、gb18030、utf-8、big5",
                         f"Unknown text encoding '{name}'; common ones are gbk, gb18030, utf-8, big5",
                         code="encoding.unknown")
    return info.name


def codec_from_cpg(text: str) -> str | None:
    """Python codec for a .cpg file's content, or None if unknown."""
    key = re.sub(r"[\s_\-]", "", text.strip().lower())
    if key in _CPG_ALIASES:
        return _CPG_ALIASES[key]
    try:
        return codecs.lookup(text.strip()).name
    except (LookupError, ValueError):  # ValueError: a NUL byte in the file
        return None


MAX_SAMPLE_RECORDS = 5000  # records examined to decide an encoding (first half, rest spread)


def dbf_records(dbf: bytes, limit: int | None = MAX_SAMPLE_RECORDS) -> list[bytes]:
    """Raw record bytes of a DBF (deleted-flag byte stripped), without decoding.

    limit: at most this many records, the first half from the start and the rest spread
    evenly over the file (enough to decide an encoding; ``None`` for all).
    """
    if len(dbf) < 32:
        return []
    n = struct.unpack("<I", dbf[4:8])[0]
    header_len, rec_len = struct.unpack("<HH", dbf[8:12])
    if rec_len == 0:
        return []
    n = min(n, max(0, (len(dbf) - header_len) // rec_len))
    if n == 0:
        return []
    rows = np.frombuffer(dbf, dtype=np.uint8, count=n * rec_len, offset=header_len)
    rows = rows.reshape(n, rec_len)[:, 1:]
    if limit is not None and n > limit:
        head = np.arange(limit // 2)
        spread = np.linspace(limit // 2, n - 1, limit - limit // 2).astype(int)
        rows = rows[np.concatenate([head, spread])]
    return [r.tobytes() for r in rows]


def _chinese_pair_share(data: bytes) -> float:
    """Share of high bytes (≥ 0x81) that sit in runs of two or more high bytes.

    GBK Chinese text is made of byte pairs that are (nearly always) both high; Latin-1 text
    has isolated high bytes between ASCII letters ("G\xf6teborg").
    """
    arr = np.frombuffer(data, dtype=np.uint8)
    high = arr >= 0x81
    n_high = int(high.sum())
    if n_high == 0:
        return 0.0
    prev = np.concatenate([[False], high[:-1]])
    nxt = np.concatenate([high[1:], [False]])
    paired = high & (prev | nxt)
    return float(paired.sum()) / n_high


def guess_bytes_encoding(records: list[bytes]) -> EncodingGuess:
    """Guess the codec of text records from their bytes (no header information)."""
    sample = [r for r in records if any(b >= 0x80 for b in r)]
    if not sample:
        return EncodingGuess("utf-8", "detected", "ASCII only (any encoding reads it)",
                             detail_zh="只有 ASCII 字符（任何编码都能读）")
    bad_utf8 = sum(1 for r in sample if not _decodes(r, "utf-8"))
    joined = b"".join(sample)
    share = _chinese_pair_share(joined)
    bad_gbk = sum(1 for r in sample if not _decodes(r, "gb18030"))
    if bad_utf8 == 0:
        # Short GBK text can be valid UTF-8 by accident ("一一" = D2 BB D2 BB = "һһ"): such
        # readings give Greek/Cyrillic/Hebrew/Arabic letters (U+0100–U+07FF), rare in a
        # Chinese or European attribute table, while the GBK reading gives Chinese pairs.
        text = joined.decode("utf-8")
        high = [c for c in text if ord(c) > 127]
        odd = sum(1 for c in high if 0x100 <= ord(c) <= 0x7FF)
        if high and odd / len(high) > 0.5 and share >= 0.7 and bad_gbk == 0:
            return EncodingGuess("gb18030", "detected",
                                 "valid UTF-8 only by accident (it would read as Greek/Cyrillic "
                                 f"letters); {share:.0%} of high bytes pair like Chinese GBK text",
                                 detail_zh=f"文字碰巧也是合法的 UTF-8（但会读成希腊/西里尔字母）；"
                                           f"{share:.0%} 的高位字节像 GBK 中文一样成对出现")
        return EncodingGuess("utf-8", "detected",
                             f"all {len(sample)} records with non-ASCII text are valid UTF-8",
                             detail_zh=f"含非 ASCII 文字的 {len(sample)} 条记录都是合法的 UTF-8")
    if share >= 0.7 and bad_gbk <= 0.1 * len(sample):
        return EncodingGuess("gb18030", "detected",
                             f"not UTF-8 ({bad_utf8} records invalid); {share:.0%} of high bytes "
                             "pair like Chinese GBK/GB18030 text", bad_records=bad_gbk,
                             detail_zh=f"不是 UTF-8（{bad_utf8} 条记录不合法）；{share:.0%} 的高位字节"
                                       "像 GBK/GB18030 中文一样成对出现")
    return EncodingGuess("cp1252", "detected",
                         f"neither UTF-8 ({bad_utf8} invalid) nor Chinese GBK "
                         f"({share:.0%} Chinese-like pairs): read as Windows-1252/Latin-1",
                         detail_zh=f"既不是 UTF-8（{bad_utf8} 条不合法）也不是 GBK 中文（仅 {share:.0%} "
                                   "的字节像中文）：按 Windows-1252/Latin-1 读取")


def _decodes(b: bytes, codec: str) -> bool:
    try:
        b.decode(codec)
        return True
    except UnicodeDecodeError:
        return False


def shapefile_encoding(dbf: bytes, cpg_text: str | None) -> EncodingGuess:
    """Decide the DBF text encoding from the .cpg content, the LDID byte, then the bytes.

    A declared encoding (.cpg or LDID) that cannot decode the records (a .cpg saying UTF-8 on
    a GBK file, say) is overruled by the bytes, and the guess's detail says so.
    """
    declared: EncodingGuess | None = None
    if cpg_text is not None and cpg_text.strip():
        codec = codec_from_cpg(cpg_text)
        if codec:
            declared = EncodingGuess(codec, "cpg", f".cpg says '{cpg_text.strip()}'",
                                     detail_zh=f".cpg 文件写明“{cpg_text.strip()}”")
    ldid = dbf[29] if len(dbf) > 29 else 0
    if declared is None and ldid in LDID_CODEPAGES:
        codec = LDID_CODEPAGES[ldid]
        declared = EncodingGuess(codec, "ldid", f"DBF language driver byte 0x{ldid:02X} → {codec}",
                                 detail_zh=f"DBF 语言驱动字节 0x{ldid:02X} → {codec}")
    records = dbf_records(dbf)
    if declared is None:
        return guess_bytes_encoding(records)
    bad = sum(1 for r in records if not _decodes(r, declared.codec))
    if bad == 0:
        return declared
    guess = guess_bytes_encoding(records)
    return EncodingGuess(guess.codec, "detected",
                         f"{declared.detail}, but {bad} of {len(records)} records are not valid "
                         f"{declared.codec}; {guess.detail}", bad_records=guess.bad_records,
                         overruled=declared.codec,
                         detail_zh=f"{declared.detail_zh}，但 {len(records)} 条记录中有 {bad} 条不是合法的 "
                                   f"{declared.codec}；{guess.detail_zh}")


# --- mojibake -------------------------------------------------------------------------------
# "锟斤拷" = UTF-8 bytes of U+FFFD read as GBK; "烫烫烫"/"屯屯屯" = MSVC fill bytes read as GBK;
# runs of Latin-1 letters like "ÄÚÃÉ¹Å" = GBK read as Latin-1; "鍖椾含" style = UTF-8 read as GBK.
_MOJIBAKE_RE = re.compile(
    "锟斤拷|烫烫|屯屯|\ufffd|[\u00c0-\u00ff]{3,}|[\u00a1-\u00bf][\u00c0-\u00ff]{2}"
    "|(?:[鍖浣犲ソ鐨勬槸缁忕粡鍦板尯鍘垮競镇囦闀伴璺琛楂](?:[\u4e00-\u9fff]|\ufffd)){3,}"
)


def mojibake_rows(frame: pd.DataFrame) -> tuple[list[int], list[str]]:
    """Row positions whose text looks garbled by a wrong encoding, and a few examples."""
    rows: set[int] = set()
    examples: list[str] = []
    for col in frame.columns:
        s = frame[col]
        if s.dtype != object and not pd.api.types.is_string_dtype(s):
            continue
        text = s.astype("string").fillna("")
        hit = text.str.contains(_MOJIBAKE_RE, regex=True).to_numpy(dtype=bool)
        if hit.any():
            pos = np.flatnonzero(hit)
            rows.update(int(p) for p in pos)
            examples.extend(str(text.iloc[p]) for p in pos[: max(0, 3 - len(examples))])
    return sorted(rows), examples[:3]
