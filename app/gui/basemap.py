"""Optional XYZ tile basemap under the map: OpenStreetMap, Tianditu (天地图, user key) or any
``{z}/{x}/{y}`` URL template.

* Off-line first: tiles come from a disk cache (``QStandardPaths.CacheLocation``/tiles); the
  network is used ONLY when the user enabled network use (settings; off by default) — with it off,
  no QNetworkAccessManager is even created. The app is fully usable with no basemap at all.
* Tiles are EPSG:3857 (Web Mercator, 256 px, the OSM "slippy map" scheme: x east, y south,
  tile (0, 0) at the north-west corner). Each tile is drawn into the map's CRS (the park's local
  metric CRS) by transforming its four corners with pyproj and mapping the tile image onto that
  quadrilateral with ``QTransform.quadToQuad`` — exact at the corners, and the projections'
  curvature inside one 256 px tile is far below a pixel at park scale.
* OpenStreetMap and Tianditu are both referenced to WGS84/CGCS2000 (no GCJ-02 offset). Tiles of
  Amap/Gaode, Tencent or Baidu are offset by 100–700 m (GCJ-02/BD-09) and would not line up;
  :attr:`TileSource.offset_warning` flags such templates.
* Tile usage policies: OSM asks for an identifying User-Agent, the attribution
  "© OpenStreetMap contributors" on the map and no bulk downloading
  (https://operations.osmfoundation.org/policies/tiles/); we send ``USER_AGENT``, draw
  :attr:`TileSource.attribution`, keep tiles ``CACHE_MAX_AGE_S`` on disk and fetch only the tiles
  in view, at most ``MAX_IN_FLIGHT`` at a time.
"""

from __future__ import annotations

import hashlib
import math
import re
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from pyproj import CRS, Transformer
from PySide6.QtCore import QObject, QPointF, QStandardPaths, QUrl, Signal
from PySide6.QtGui import QImage, QPainter, QPolygonF, QTransform

TILE_PX = 256
WEB_MERCATOR_HALF = 20037508.342789244  # π · 6378137 m: half the world's width in EPSG:3857
MAX_LAT = 85.0511287798066  # atan(sinh(π)) in degrees: the square Web Mercator world
CACHE_MAX_AGE_S = 30 * 24 * 3600  # refetch tiles older than 30 days when online (OSM asks ≥ 7 d)
MAX_IN_FLIGHT = 4  # concurrent tile requests (OSM policy: keep it small)
MAX_TILES_PER_VIEW = 256  # a guard against a wrong zoom level fetching thousands of tiles
RETRY_AFTER_S = 60.0  # a failed tile is not asked for again before this
MEMORY_TILES = 512  # decoded tiles kept in memory (≈ 256 KB each → ≤ 128 MB)
USER_AGENT = b"Lingtan/0.1 (desktop GIS for zero-carbon industrial parks)"

# hosts of Chinese commercial web maps whose tiles are in GCJ-02 / BD-09 (DOMAIN.md: 100–700 m off)
_OFFSET_HOSTS = ("autonavi.com", "amap.com", "gtimg.com", "map.qq.com", "bdimg.com", "baidu.com")


# ---- tile math (EPSG:3857, OSM slippy-map scheme) -----------------------------------------------

def lonlat_to_tile(lon: float, lat: float, z: int) -> tuple[float, float]:
    """Fractional tile coordinates (x, y) of (lon, lat) degrees at zoom ``z``:
    x = (lon + 180)/360 · 2^z, y = (1 − asinh(tan φ)/π)/2 · 2^z (latitude clamped to ±85.0511°)."""
    n = 2.0 ** z
    lat = min(max(lat, -MAX_LAT), MAX_LAT)
    x = (lon + 180.0) / 360.0 * n
    y = (1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n
    return x, y


def tile_to_lonlat(x: float, y: float, z: int) -> tuple[float, float]:
    """(lon, lat) degrees of the (fractional) tile coordinates (x, y) at zoom ``z``; integer
    x, y give the tile's north-west corner."""
    n = 2.0 ** z
    lon = x / n * 360.0 - 180.0
    lat = math.degrees(math.atan(math.sinh(math.pi * (1.0 - 2.0 * y / n))))
    return lon, lat


def tile_size_3857(z: int) -> float:
    """Width of one tile in EPSG:3857 metres at zoom ``z``."""
    return 2.0 * WEB_MERCATOR_HALF / 2 ** z


def tile_bounds_3857(x: int, y: int, z: int) -> tuple[float, float, float, float]:
    """(xmin, ymin, xmax, ymax) of tile (x, y, z) in EPSG:3857 metres."""
    s = tile_size_3857(z)
    xmin = -WEB_MERCATOR_HALF + x * s
    ymax = WEB_MERCATOR_HALF - y * s
    return xmin, ymax - s, xmin + s, ymax


def resolution_3857(z: int) -> float:
    """EPSG:3857 metres per tile pixel at zoom z: 156543.034 / 2^z."""
    return tile_size_3857(z) / TILE_PX


def zoom_for_resolution(m3857_per_px: float, min_zoom: int = 0, max_zoom: int = 19) -> int:
    """The zoom whose tile pixels are closest (in log scale) to ``m3857_per_px`` screen pixels."""
    if not (m3857_per_px > 0 and math.isfinite(m3857_per_px)):
        return min_zoom
    z = round(math.log2(resolution_3857(0) / m3857_per_px))
    return int(min(max(z, min_zoom), max_zoom))


def tile_range(bounds_3857: tuple[float, float, float, float], z: int) -> tuple[int, int, int, int]:
    """Inclusive tile index range (x0, y0, x1, y1) covering an EPSG:3857 box at zoom z."""
    s, n = tile_size_3857(z), 2 ** z
    xmin, ymin, xmax, ymax = bounds_3857

    def clamp(v: float) -> int:
        return int(min(max(v, 0), n - 1))

    return (clamp(math.floor((xmin + WEB_MERCATOR_HALF) / s)),
            clamp(math.floor((WEB_MERCATOR_HALF - ymax) / s)),
            clamp(math.floor((xmax + WEB_MERCATOR_HALF) / s)),
            clamp(math.floor((WEB_MERCATOR_HALF - ymin) / s)))


# ---- sources ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TileSource:
    """An XYZ tile service: one or more URL templates drawn bottom to top (e.g. Tianditu's base
    map and its label layer), with ``{z}``, ``{x}``, ``{y}``, optional ``{s}`` (a subdomain, chosen
    per tile from ``subdomains``) and ``{key}``."""

    name: str
    templates: tuple[str, ...]
    attribution: str
    subdomains: tuple[str, ...] = ()
    key: str = ""
    min_zoom: int = 0
    max_zoom: int = 19
    cache_id: str = ""  # directory name in the cache; derived from the templates when empty
    headers: tuple[tuple[bytes, bytes], ...] = field(default=())

    def __post_init__(self) -> None:
        if not self.templates:
            raise ValueError("a tile source needs at least one URL template")
        for t in self.templates:
            if not all(k in t for k in ("{z}", "{x}", "{y}")):
                raise ValueError(f"tile URL template needs {{z}}, {{x}} and {{y}}: {t}")
            if "{s}" in t and not self.subdomains:
                raise ValueError(f"template has {{s}} but no subdomains: {t}")
            if "{key}" in t and not self.key:
                raise ValueError(f"template needs a key: {t}")

    def layer_ids(self) -> list[str]:
        """One cache directory name per template (never containing the key)."""
        base = self.cache_id or _slug(self.name)
        if len(self.templates) == 1:
            return [base]
        return [f"{base}-{i}" for i in range(len(self.templates))]

    def url(self, layer: int, z: int, x: int, y: int) -> str:
        t = self.templates[layer]
        s = self.subdomains[(x + y) % len(self.subdomains)] if self.subdomains else ""
        return (t.replace("{z}", str(z)).replace("{x}", str(x)).replace("{y}", str(y))
                .replace("{s}", s).replace("{key}", self.key))

    @property
    def offset_warning(self) -> bool:
        """True for hosts known to serve GCJ-02/BD-09 tiles (they would not line up)."""
        return any(h in t for t in self.templates for h in _OFFSET_HOSTS)


def _slug(text: str) -> str:
    s = re.sub(r"[^A-Za-z0-9_-]+", "_", text).strip("_").lower()
    return s or hashlib.sha1(text.encode()).hexdigest()[:12]


OSM_TEMPLATE = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
# Tianditu WMTS GetTile in KVP form, Web Mercator matrix set "w" (TILEMATRIX = z, TILEROW = y,
# TILECOL = x), servers t0–t7; "vec" is the vector base map, "cva" its Chinese labels, "img"
# imagery and "cia" its labels (http://lbs.tianditu.gov.cn/server/MapService.html).
TIANDITU_TEMPLATE = ("https://t{s}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile"
                     "&VERSION=1.0.0&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
                     "&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}")


def openstreetmap() -> TileSource:
    """OpenStreetMap's standard tiles (zoom 0–19)."""
    return TileSource("OpenStreetMap", (OSM_TEMPLATE,), "© OpenStreetMap contributors",
                      max_zoom=19, cache_id="osm")


def tianditu(key: str, kind: str = "vec") -> TileSource:
    """Tianditu (天地图) with the user's key: ``kind`` "vec" (map + labels) or "img" (imagery +
    labels); zoom 1–18."""
    labels = {"vec": "cva", "img": "cia"}
    if kind not in labels:
        raise ValueError(f"Tianditu kind must be 'vec' or 'img', not {kind!r}")
    if not key.strip():
        raise ValueError("Tianditu needs a key (tk) from https://console.tianditu.gov.cn")
    templates = tuple(TIANDITU_TEMPLATE.replace("{layer}", layer) for layer in (kind, labels[kind]))
    return TileSource(f"Tianditu {kind}", templates, "© 天地图 Tianditu",
                      subdomains=tuple("01234567"), key=key.strip(), min_zoom=1, max_zoom=18,
                      cache_id=f"tianditu_{kind}")


def xyz_source(template: str, name: str = "", attribution: str = "", key: str = "",
               subdomains: str = "abc", max_zoom: int = 19) -> TileSource:
    """A source from a user's URL template (``{s}`` takes one of ``subdomains``' characters)."""
    subs = tuple(subdomains) if "{s}" in template else ()
    digest = hashlib.sha1(template.encode()).hexdigest()[:10]
    return TileSource(name or template, (template,), attribution, subdomains=subs, key=key,
                      max_zoom=max_zoom, cache_id=f"xyz_{digest}")


# ---- disk cache ----------------------------------------------------------------------------------

def default_cache_dir() -> Path:
    """<user cache dir>/tiles, e.g. ~/.cache/Lingtan/lingtan/tiles (needs the app's name set)."""
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.CacheLocation)
    return Path(base or Path.home() / ".cache" / "lingtan") / "tiles"


class TileCache:
    """Tiles on disk as ``<root>/<layer id>/<z>/<x>/<y>.tile`` (the bytes as served)."""

    def __init__(self, root: Path | str | None = None) -> None:
        self.root = Path(root) if root is not None else default_cache_dir()

    def path(self, layer_id: str, z: int, x: int, y: int) -> Path:
        return self.root / layer_id / str(z) / str(x) / f"{y}.tile"

    def get(self, layer_id: str, z: int, x: int, y: int) -> tuple[bytes, float] | None:
        """(bytes, age in seconds) or None."""
        p = self.path(layer_id, z, x, y)
        try:
            data = p.read_bytes()
            age = time.time() - p.stat().st_mtime
        except OSError:
            return None
        return (data, age) if data else None

    def put(self, layer_id: str, z: int, x: int, y: int, data: bytes) -> None:
        """Write atomically (temp file + rename); a failing disk only loses the cache entry."""
        p = self.path(layer_id, z, x, y)
        try:
            p.parent.mkdir(parents=True, exist_ok=True)
            tmp = p.with_suffix(".part")
            tmp.write_bytes(data)
            tmp.replace(p)
        except OSError:
            pass


# ---- the basemap layer ---------------------------------------------------------------------------

TileKey = tuple[int, int, int, int]  # (template index, z, x, y)


class Basemap(QObject):
    """Tiles of a :class:`TileSource` for the canvas: which tiles a view needs, from memory, the
    disk cache or (only when ``network_enabled``) the network, and drawing them into the map CRS.

    ``tiles_changed`` is emitted (in the GUI thread) when a requested tile arrived.
    """

    tiles_changed = Signal()

    def __init__(self, source: TileSource, cache: TileCache | None = None,
                 network_enabled: bool = False, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.source = source
        self.cache = cache if cache is not None else TileCache()
        self._network_enabled = bool(network_enabled)
        self._nam = None  # QNetworkAccessManager, created on first network use only
        self._memory: OrderedDict[TileKey, QImage] = OrderedDict()
        self._in_flight: dict[TileKey, object] = {}
        self._queue: list[TileKey] = []
        self._failed: dict[TileKey, float] = {}
        self._to_crs: dict[str, Transformer] = {}
        self._from_crs: dict[str, Transformer] = {}
        self.requests_sent = 0

    # -- settings

    @property
    def network_enabled(self) -> bool:
        return self._network_enabled

    def set_network_enabled(self, on: bool) -> None:
        self._network_enabled = bool(on)
        if not on:
            self.abort_requests()

    def abort_requests(self) -> None:
        self._queue.clear()
        for reply in list(self._in_flight.values()):
            reply.abort()
        self._in_flight.clear()

    # -- which tiles

    def _transformer(self, crs, to_3857: bool) -> Transformer:
        crs = CRS.from_user_input(crs)
        cache = self._to_crs if to_3857 else self._from_crs
        key = crs.to_wkt()
        if key not in cache:
            a, b = (crs, "EPSG:3857") if to_3857 else ("EPSG:3857", crs)
            cache[key] = Transformer.from_crs(a, b, always_xy=True)
        return cache[key]

    def view_zoom(self, extent: tuple[float, float, float, float], width_px: float, crs: CRS,
                  dpr: float = 1.0) -> tuple[int, tuple[float, float, float, float]]:
        """(zoom, EPSG:3857 bounds) of a map extent in ``crs`` seen through ``width_px`` logical
        pixels (``dpr`` device pixels each)."""
        t = self._transformer(crs, True)
        b = t.transform_bounds(*extent, densify_pts=11)
        res = (b[2] - b[0]) / max(width_px * dpr, 1.0)
        return zoom_for_resolution(res, self.source.min_zoom, self.source.max_zoom), b

    def tiles_for_view(self, extent, width_px: float, crs: CRS, dpr: float = 1.0
                       ) -> list[tuple[int, int, int]]:
        """(z, x, y) of the tiles covering the view, centre first (fetch order)."""
        z, b = self.view_zoom(extent, width_px, crs, dpr)
        x0, y0, x1, y1 = tile_range(b, z)
        while (x1 - x0 + 1) * (y1 - y0 + 1) > MAX_TILES_PER_VIEW and z > self.source.min_zoom:
            z -= 1
            x0, y0, x1, y1 = tile_range(b, z)
        xs, ys = np.meshgrid(np.arange(x0, x1 + 1), np.arange(y0, y1 + 1))
        xs, ys = xs.ravel(), ys.ravel()
        order = np.argsort((xs - (x0 + x1) / 2) ** 2 + (ys - (y0 + y1) / 2) ** 2, kind="stable")
        return [(z, int(xs[i]), int(ys[i])) for i in order]

    # -- getting tiles

    def tile(self, layer: int, z: int, x: int, y: int, request: bool = True) -> QImage | None:
        """The tile image if in memory or on disk; else None, and (``request`` and network
        enabled) the tile is queued for download; ``tiles_changed`` follows when it arrives."""
        key = (layer, z, x, y)
        img = self._memory.get(key)
        if img is not None:
            self._memory.move_to_end(key)
            return img
        layer_id = self.source.layer_ids()[layer]
        hit = self.cache.get(layer_id, z, x, y)
        if hit is not None:
            data, age = hit
            img = QImage.fromData(data)
            if not img.isNull():
                self._remember(key, img)
                if request and self._network_enabled and age > CACHE_MAX_AGE_S:
                    self._enqueue(key)  # stale: show it, refresh in the background
                return img
        if request and self._network_enabled:
            self._enqueue(key)
        return None

    def _remember(self, key: TileKey, img: QImage) -> None:
        self._memory[key] = img
        self._memory.move_to_end(key)
        while len(self._memory) > MEMORY_TILES:
            self._memory.popitem(last=False)

    def _enqueue(self, key: TileKey) -> None:
        if key in self._in_flight or key in self._queue:
            return
        failed_at = self._failed.get(key)
        if failed_at is not None and time.monotonic() - failed_at < RETRY_AFTER_S:
            return
        self._queue.append(key)
        self._pump()

    def retain_only(self, wanted: set[TileKey]) -> None:
        """Forget queued (not yet sent) requests for tiles no longer in view."""
        self._queue = [k for k in self._queue if k in wanted]

    def _pump(self) -> None:
        while self._network_enabled and self._queue and len(self._in_flight) < MAX_IN_FLIGHT:
            key = self._queue.pop(0)
            self._in_flight[key] = self._fetch(key, self.source.url(*key))
            self.requests_sent += 1

    def _fetch(self, key: TileKey, url: str):
        """Start the HTTP GET of one tile; returns the QNetworkReply."""
        from PySide6.QtNetwork import QNetworkAccessManager, QNetworkRequest

        if self._nam is None:
            self._nam = QNetworkAccessManager(self)
        req = QNetworkRequest(QUrl(url))
        req.setRawHeader(b"User-Agent", USER_AGENT)
        for name, value in self.source.headers:
            req.setRawHeader(name, value)
        req.setAttribute(QNetworkRequest.Attribute.RedirectPolicyAttribute,
                         QNetworkRequest.RedirectPolicy.NoLessSafeRedirectPolicy)
        req.setTransferTimeout(15_000)
        reply = self._nam.get(req)
        reply.finished.connect(lambda: self._on_reply(key, reply))
        return reply

    def _on_reply(self, key: TileKey, reply) -> None:
        from PySide6.QtNetwork import QNetworkReply

        self._in_flight.pop(key, None)
        try:
            if reply.error() == QNetworkReply.NetworkError.NoError:
                self.deliver(key, bytes(reply.readAll().data()))
            elif reply.error() != QNetworkReply.NetworkError.OperationCanceledError:
                self._failed[key] = time.monotonic()
        finally:
            reply.deleteLater()
            self._pump()

    def deliver(self, key: TileKey, data: bytes) -> bool:
        """Accept the bytes of a downloaded tile: decode, cache on disk and in memory, tell the
        canvas. Returns False (and caches nothing) when they are not an image."""
        img = QImage.fromData(data)
        if img.isNull():
            self._failed[key] = time.monotonic()
            return False
        layer, z, x, y = key
        self.cache.put(self.source.layer_ids()[layer], z, x, y, data)
        self._remember(key, img)
        self.tiles_changed.emit()
        return True

    # -- drawing

    def draw(self, painter: QPainter, extent: tuple[float, float, float, float], crs,
             world_to_px, width_px: float, dpr: float = 1.0, request: bool = True) -> int:
        """Draw the tiles of the view onto ``painter``. ``world_to_px(x, y) -> (px, py)`` takes
        numpy arrays of map coordinates. Returns the number of tiles drawn. Missing tiles are
        requested (network on) and simply left blank meanwhile."""
        if crs is None:
            return 0
        crs = CRS.from_user_input(crs)
        tiles = self.tiles_for_view(extent, width_px, crs, dpr)
        if request:
            self.retain_only({(i, *t) for i in range(len(self.source.templates)) for t in tiles})
        if not tiles:
            return 0
        z = tiles[0][0]
        s = tile_size_3857(z)
        txy = np.array([(x, y) for _, x, y in tiles], dtype=np.float64)
        # corners NW, NE, SE, SW of every tile in EPSG:3857 → map CRS → pixels
        cx = np.stack([txy[:, 0], txy[:, 0] + 1, txy[:, 0] + 1, txy[:, 0]], axis=1) * s - WEB_MERCATOR_HALF
        cy = WEB_MERCATOR_HALF - np.stack([txy[:, 1], txy[:, 1], txy[:, 1] + 1, txy[:, 1] + 1], axis=1) * s
        mx, my = self._transformer(crs, False).transform(cx.ravel(), cy.ravel())
        px, py = world_to_px(np.asarray(mx), np.asarray(my))
        px, py = np.asarray(px).reshape(-1, 4), np.asarray(py).reshape(-1, 4)
        drawn = 0
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        base = painter.transform()
        for layer in range(len(self.source.templates)):
            for i, (tz, tx, ty) in enumerate(tiles):
                img = self.tile(layer, tz, tx, ty, request=request)
                if img is None or not (np.isfinite(px[i]).all() and np.isfinite(py[i]).all()):
                    continue
                w, h = img.width(), img.height()
                src = QPolygonF([QPointF(0, 0), QPointF(w, 0), QPointF(w, h), QPointF(0, h)])
                dst = QPolygonF([QPointF(float(px[i, k]), float(py[i, k])) for k in range(4)])
                q = QTransform()
                if not QTransform.quadToQuad(src, dst, q):
                    continue
                painter.setTransform(q * base)
                painter.drawImage(0, 0, img)
                drawn += 1
        painter.restore()
        return drawn
