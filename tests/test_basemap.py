"""XYZ basemap (app/gui/basemap.py): tile math by hand and via pyproj, URL forms, disk cache hits
without network, and no request at all while network use is off. No test touches the network."""

from __future__ import annotations

import math

import numpy as np
import pytest
from pyproj import Transformer
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImage, QPainter

from app.gui import basemap as bm

HALF = math.pi * 6378137.0  # half the Web Mercator world, metres


def png_bytes(colour: str, size: int = 256) -> bytes:
    img = QImage(size, size, QImage.Format.Format_ARGB32)
    img.fill(QColor(colour))
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    img.save(buf, "PNG")
    buf.close()
    return bytes(data.data())


def test_tile_math_by_hand():
    assert bm.lonlat_to_tile(0.0, 0.0, 1) == pytest.approx((1.0, 1.0))
    assert bm.lonlat_to_tile(-180.0, bm.MAX_LAT, 0) == pytest.approx((0.0, 0.0), abs=1e-9)
    assert bm.lonlat_to_tile(180.0, -bm.MAX_LAT, 3) == pytest.approx((8.0, 8.0), abs=1e-9)
    # Hangzhou, 120.17°E 30.2°N at zoom 10, with the Mercator y = ln tan(π/4 + φ/2)
    lon, lat, z = 120.17, 30.2, 10
    x_hand = (lon + 180) / 360 * 2 ** z  # 853.8169
    y_hand = (1 - math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / math.pi) / 2 * 2 ** z
    assert x_hand == pytest.approx(853.8169, abs=1e-4)
    assert y_hand == pytest.approx(421.82, abs=0.005)  # tan 30.2° + sec 30.2° = 1.73904, ln = 0.55333
    assert bm.lonlat_to_tile(lon, lat, z) == pytest.approx((x_hand, y_hand), abs=1e-9)
    # the same from pyproj's EPSG:3857: tile = (X + half) / tile size, (half − Y) / tile size
    X, Y = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True).transform(lon, lat)
    s = 2 * HALF / 2 ** z
    assert bm.lonlat_to_tile(lon, lat, z) == pytest.approx(((X + HALF) / s, (HALF - Y) / s), abs=1e-6)
    # and back: the north-west corner of tile (853, 421)
    lon2, lat2 = bm.tile_to_lonlat(853, 421, z)
    assert lon2 == pytest.approx(853 / 1024 * 360 - 180, abs=1e-12)
    assert bm.lonlat_to_tile(lon2, lat2, z) == pytest.approx((853.0, 421.0), abs=1e-9)


def test_tile_bounds_resolution_and_zoom():
    assert bm.tile_bounds_3857(0, 0, 0) == pytest.approx((-HALF, -HALF, HALF, HALF))
    assert bm.tile_bounds_3857(1, 0, 1) == pytest.approx((0.0, 0.0, HALF, HALF))
    assert bm.tile_bounds_3857(0, 1, 1) == pytest.approx((-HALF, -HALF, 0.0, 0.0))
    assert bm.resolution_3857(0) == pytest.approx(156_543.03392804097, rel=1e-12)
    assert bm.zoom_for_resolution(156_543.034 / 2 ** 15) == 15
    assert bm.zoom_for_resolution(156_543.034 / 2 ** 15 * 1.3) == 15  # nearest in log scale
    assert bm.zoom_for_resolution(156_543.034 / 2 ** 15 * 1.6) == 14
    assert bm.zoom_for_resolution(0.001, max_zoom=19) == 19
    assert bm.tile_range((1.0, 1.0, HALF - 1, HALF - 1), 1) == (1, 0, 1, 0)
    assert bm.tile_range((-HALF, -HALF, HALF, HALF), 2) == (0, 0, 3, 3)


def test_urls_and_cache_ids():
    osm = bm.openstreetmap()
    assert osm.url(0, 3, 4, 5) == "https://tile.openstreetmap.org/3/4/5.png"
    assert "OpenStreetMap" in osm.attribution
    tdt = bm.tianditu("abc123")
    u = tdt.url(0, 15, 27297, 13429)
    assert u.startswith(f"https://t{(27297 + 13429) % 8}.tianditu.gov.cn/vec_w/wmts?")
    assert "LAYER=vec" in u and "TILEMATRIXSET=w" in u
    assert "TILEMATRIX=15&TILEROW=13429&TILECOL=27297&tk=abc123" in u
    assert "cva_w/wmts" in tdt.url(1, 15, 1, 1) and "LAYER=cva" in tdt.url(1, 15, 1, 1)
    assert all("abc123" not in i for i in tdt.layer_ids())  # the key never lands on disk
    with pytest.raises(ValueError):
        bm.tianditu("  ")
    with pytest.raises(ValueError):
        bm.TileSource("bad", ("https://x/{z}/{x}.png",), "")
    custom = bm.xyz_source("https://{s}.example.org/{z}/{x}/{y}.png")
    assert custom.url(0, 1, 0, 1) == "https://b.example.org/1/0/1.png"
    assert bm.xyz_source("https://webrd01.is.autonavi.com/appmaptile?x={x}&y={y}&z={z}").offset_warning
    assert not osm.offset_warning


def test_cache_hit_without_network(qapp, tmp_path):
    cache = bm.TileCache(tmp_path)
    src = bm.openstreetmap()
    cache.path("osm", 12, 3413, 1678).parent.mkdir(parents=True)
    cache.path("osm", 12, 3413, 1678).write_bytes(png_bytes("#ff0000"))
    layer = bm.Basemap(src, cache, network_enabled=False)
    img = layer.tile(0, 12, 3413, 1678)
    assert img is not None and img.pixelColor(100, 100) == QColor("#ff0000")
    assert layer.requests_sent == 0 and layer._nam is None


def test_no_request_when_network_is_off(qapp, tmp_path):
    layer = bm.Basemap(bm.openstreetmap(), bm.TileCache(tmp_path), network_enabled=False)
    calls = []
    layer._fetch = lambda key, url: calls.append(url)  # would be the HTTP GET
    assert layer.tile(0, 12, 3413, 1678) is None
    img = QImage(300, 200, QImage.Format.Format_ARGB32_Premultiplied)
    p = QPainter(img)
    try:
        n = layer.draw(p, (420_000, 3_340_000, 420_300, 3_340_200), "EPSG:4549",
                       lambda x, y: (x - 420_000, 3_340_200 - y), 300)
    finally:
        p.end()
    assert n == 0 and calls == [] and layer.requests_sent == 0 and layer._nam is None


def test_requests_only_when_enabled_and_bounded(qapp, tmp_path):
    layer = bm.Basemap(bm.openstreetmap(), bm.TileCache(tmp_path), network_enabled=True)
    calls = []

    class FakeReply:
        def abort(self):
            calls.append("abort")

    layer._fetch = lambda key, url: calls.append(url) or FakeReply()
    tiles = layer.tiles_for_view((420_000, 3_340_000, 424_000, 3_343_000), 1600, "EPSG:4549")
    assert len(tiles) > bm.MAX_IN_FLIGHT
    for z, x, y in tiles:
        assert layer.tile(0, z, x, y) is None
    assert layer.requests_sent == bm.MAX_IN_FLIGHT  # the rest wait in the queue
    z, x, y = tiles[0]  # centre first
    assert calls[0] == f"https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    layer.set_network_enabled(False)  # switching off aborts and forgets the queue
    assert calls.count("abort") == bm.MAX_IN_FLIGHT and layer._queue == []


def test_deliver_writes_cache_and_rejects_garbage(qapp, qtbot, tmp_path):
    cache = bm.TileCache(tmp_path)
    layer = bm.Basemap(bm.openstreetmap(), cache)
    with qtbot.waitSignal(layer.tiles_changed, timeout=1000):
        assert layer.deliver((0, 5, 26, 13), png_bytes("#00ff00"))
    assert cache.path("osm", 5, 26, 13).is_file()
    assert not layer.deliver((0, 5, 27, 13), b"<html>rate limited</html>")
    assert not cache.path("osm", 5, 27, 13).exists()


def test_tiles_for_view_zoom_matches_the_resolution(qapp):
    layer = bm.Basemap(bm.openstreetmap(), bm.TileCache("/nonexistent"))
    # 3 km over 1500 px = 2 m/px on the ground; in EPSG:3857 at 30.2°N × sec φ ≈ 2.31 m/px
    z, b = layer.view_zoom((420_000, 3_340_000, 423_000, 3_342_000), 1500, "EPSG:4549")
    res = 2.0 / math.cos(math.radians(30.2))
    assert (b[2] - b[0]) / 1500 == pytest.approx(res, rel=0.01)
    assert z == round(math.log2(156_543.034 / res))  # 16
    tiles = layer.tiles_for_view((420_000, 3_340_000, 423_000, 3_342_000), 1500, "EPSG:4549")
    assert all(t[0] == z for t in tiles) and len({t[1:] for t in tiles}) == len(tiles)
    xs, ys = np.array([t[1] for t in tiles]), np.array([t[2] for t in tiles])
    assert len(tiles) == (xs.max() - xs.min() + 1) * (ys.max() - ys.min() + 1)  # a full block


def test_draw_places_a_cached_tile_into_the_local_crs(qapp, tmp_path):
    """A red tile drawn into a Gauss–Krüger view: the pixel of a point inside the tile is red,
    the pixel of a point just outside is not."""
    cache = bm.TileCache(tmp_path)
    src = bm.openstreetmap()
    layer = bm.Basemap(src, cache)
    z = 16
    lon, lat = 119.17, 30.17
    tx, ty = (int(v) for v in bm.lonlat_to_tile(lon, lat, z))
    cache.path("osm", z, tx, ty).parent.mkdir(parents=True)
    cache.path("osm", z, tx, ty).write_bytes(png_bytes("#ff0000"))
    # view: 2 m per pixel around the tile centre, in EPSG:4549
    clon, clat = bm.tile_to_lonlat(tx + 0.5, ty + 0.5, z)
    t = Transformer.from_crs("EPSG:4490", "EPSG:4549", always_xy=True)
    cx, cy = t.transform(clon, clat)
    w = h = 400
    upp = 2.0 / math.cos(math.radians(clat))  # ≈ tile pixels at z16 (2.39 m) → the tile ≈ 256 px
    extent = (cx - w / 2 * upp, cy - h / 2 * upp, cx + w / 2 * upp, cy + h / 2 * upp)
    img = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(QColor("#ffffff"))
    p = QPainter(img)
    try:
        n = layer.draw(p, extent, "EPSG:4549", lambda x, y: ((x - extent[0]) / upp, (extent[3] - y) / upp),
                       w, request=False)
    finally:
        p.end()
    assert n == 1
    assert img.pixelColor(200, 200) == QColor("#ff0000")  # the tile centre
    # the tile's north-west corner 5 m inside / outside
    nw_lon, nw_lat = bm.tile_to_lonlat(tx, ty, z)
    for inside, d in ((True, 5.0), (False, -5.0)):
        x, y = t.transform(nw_lon, nw_lat)
        px, py = (x + d - extent[0]) / upp, (extent[3] - (y - d)) / upp
        assert (img.pixelColor(int(px), int(py)) == QColor("#ff0000")) is inside
