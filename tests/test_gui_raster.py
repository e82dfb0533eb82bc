"""Raster layers in the desktop app (pytest-qt, offscreen): File → Add Data reads GeoTIFF / IMG /
ASCII grids into the layer tree, the map draws them, Identify shows cell values, and project files
keep them (GDAL GeoPackage raster tables, a sidecar GeoTIFF for what GeoPackage cannot hold).

References are independent of the code under test: the grids written here with rasterio, their
statistics with numpy, the colours of viridis' end stops (matplotlib's published values), and the
saved tables read back with rasterio/GDAL directly.
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

CRS = "EPSG:32650"  # WGS 84 / UTM 50N
ORIGIN = (500_000.0, 3_400_000.0)
CELL_M = 10.0


@pytest.fixture
def gui(qapp, tmp_path, monkeypatch):
    from app.gui import i18n
    from app.gui.app import create_app
    from app.gui.settings import use_settings_dir

    monkeypatch.setenv("LINGTAN_DATA_DIR", str(tmp_path / "data"))
    use_settings_dir(tmp_path / "settings")
    i18n.reset_for_tests()
    app = create_app(lang="en")
    yield app
    i18n.reset_for_tests()


@pytest.fixture
def window(gui, qtbot, monkeypatch):
    from app.gui import project_actions
    from app.gui.main_window import MainWindow

    monkeypatch.setattr(project_actions, "ask_save_changes", lambda mw: "discard")
    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(1200, 800)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.workspace.mark_clean()


def _grid() -> np.ndarray:
    """20 × 30 float32: left half 0, right half 100 (a few values between), a nodata block."""
    a = np.zeros((20, 30), np.float32)
    a[:, 15:] = 100.0
    a[0, :5] = [10, 20, 30, 40, 50]
    a[15:20, 0:4] = -9999.0  # no data
    return a


def _write_tif(path, array, crs=CRS, nodata=-9999.0, transform=None):
    import rasterio
    from affine import Affine

    array = np.asarray(array)
    data = np.moveaxis(array, -1, 0) if array.ndim == 3 else array[None]
    north_up = Affine(CELL_M, 0.0, ORIGIN[0], 0.0, -CELL_M, ORIGIN[1])
    with rasterio.open(path, "w", driver="GTiff", width=array.shape[1], height=array.shape[0],
                       count=data.shape[0], dtype=str(array.dtype), crs=crs, nodata=nodata,
                       transform=transform or north_up) as ds:
        ds.write(data)
    return path


def _open(window, path, qtbot):
    from app.gui.open_data import open_files

    (handle,) = open_files(window, [path])
    assert handle.wait(60) and handle.state in ("done", "failed"), handle.error
    return handle


def _cell_pixel(window, row: int, col: int) -> tuple[int, int]:
    x = ORIGIN[0] + (col + 0.5) * CELL_M
    y = ORIGIN[1] - (row + 0.5) * CELL_M
    px, py = window.canvas.to_pixel(x, y)
    return round(float(px)), round(float(py))


def _rgb(img, px: int, py: int) -> tuple[int, int, int]:
    c = img.pixelColor(px, py)
    return c.red(), c.green(), c.blue()


def test_geotiff_is_added_reported_and_drawn(window, qtbot, tmp_path):
    a = _grid()
    path = _write_tif(tmp_path / "dem.tif", a)
    _open(window, path, qtbot)
    layer = window.workspace.tree.find("dem")
    assert layer is not None and layer.kind == "raster"
    assert layer.nodata == -9999.0 and np.array_equal(layer.array, a)
    assert layer.transform == (ORIGIN[0], CELL_M, 0.0, ORIGIN[1], 0.0, -CELL_M)
    # the report: size, CRS, resolution, nodata, band statistics (numpy on the valid cells)
    text = window.last_report_dialog.text.toPlainText()
    valid = a[a != -9999.0]
    assert "GeoTIFF" in text and "30 × 20" in text and "32650" in text and "10 × 10 m" in text
    assert "-9,999" in text or "-9999" in text
    assert f"{valid.size:,}" in text and "20" in text  # valid cells, empty cells
    assert f"{valid.mean():,.4f}".rstrip("0").rstrip(".") in text
    window.last_report_dialog.close()
    # drawn: the map took the raster's CRS; viridis' ends at the 2nd/98th percentiles (0 and 100)
    window.canvas.zoom_to_layer(layer)
    assert window.canvas.wait_for_render(20_000)
    img = window.canvas.grab().toImage()
    dpr = img.devicePixelRatio()
    img = img.scaled(round(img.width() / dpr), round(img.height() / dpr))
    low, high, empty = _cell_pixel(window, 10, 5), _cell_pixel(window, 10, 25), _cell_pixel(window, 17, 1)
    assert np.allclose(_rgb(img, *low), (0x44, 0x01, 0x54), atol=3)  # viridis 0: #440154
    assert np.allclose(_rgb(img, *high), (0xfd, 0xe7, 0x25), atol=3)  # viridis 1: #fde725
    assert _rgb(img, *empty) == (255, 255, 255)  # no data: transparent over the white map
    # the layer panel shows the colormap as legend rows under the raster
    model = window.layer_panel.model
    assert model.rowCount(model.index_of(layer)) == len(layer.colormap.stops)


def test_identify_shows_the_cell_value(window, qtbot, tmp_path):
    a = _grid()
    _open(window, _write_tif(tmp_path / "dem.tif", a), qtbot)
    window.last_report_dialog.close()
    layer = window.workspace.tree.find("dem")
    window.canvas.zoom_to_layer(layer)
    assert window.canvas.wait_for_render(20_000)
    window.canvas.set_tool("identify")
    px, py = _cell_pixel(window, 0, 3)  # value 40
    qtbot.mouseClick(window.canvas, Qt.MouseButton.LeftButton, pos=QPoint(px, py))
    panel = window.identify_panel.tree
    items = {panel.topLevelItem(i).text(0): panel.topLevelItem(i).text(1)
             for i in range(panel.topLevelItemCount())}
    assert float(items[layer.title].replace(",", "")) == 40.0
    # a nodata cell gives no value
    assert window.raster_values_at(*_cell_pixel(window, 17, 1)) == []


def test_raster_without_crs_asks_for_one(window, qtbot, tmp_path):
    from app.gui.open_data import CrsDialog

    path = _write_tif(tmp_path / "nocrs.tif", _grid(), crs=None)
    handle = _open(window, path, qtbot)
    assert handle.state == "failed"
    dlg = window.last_dialog
    assert isinstance(dlg, CrsDialog)
    dlg.select_code(CRS)
    dlg.accept()
    qtbot.waitUntil(lambda: window.workspace.tree.find("nocrs") is not None, timeout=30_000)
    layer = window.workspace.tree.find("nocrs")
    from pyproj import CRS as PCRS

    assert PCRS.from_user_input(layer.crs) == PCRS.from_user_input(CRS)


def test_rgb_and_class_rasters(window, qtbot, tmp_path):
    rng = np.random.default_rng(3)
    rgb = rng.integers(0, 255, (12, 16, 3)).astype(np.uint8)
    _open(window, _write_tif(tmp_path / "photo.tif", rgb, nodata=None), qtbot)
    photo = window.workspace.tree.find("photo")
    assert photo.array.shape == (12, 16, 3) and np.array_equal(photo.array, rgb)
    assert photo.colormap is None
    classes = rng.integers(1, 5, (12, 16)).astype(np.uint8)
    _open(window, _write_tif(tmp_path / "landuse.tif", classes, nodata=0), qtbot)
    lu = window.workspace.tree.find("landuse")
    assert lu.colormap.mode == "discrete"
    assert [v for v, _ in lu.colormap.stops] == sorted(np.unique(classes).tolist())


def test_project_keeps_rasters_exactly(window, qtbot, tmp_path):
    """Save → reopen: values, georeference, nodata and colormap as they were; the float32 grid is
    a GDAL raster table of the project (read back with rasterio), a float64 grid that float32
    cannot hold exactly is a sidecar GeoTIFF; without the sidecar the project opens with a notice."""
    import shutil

    import rasterio

    from app.gui import project_actions
    from app.project_file import load_project
    from app.project_rasters import sidecar_dir
    from layers.raster import Colormap, RasterLayer

    a = _grid()
    _open(window, _write_tif(tmp_path / "dem.tif", a), qtbot)
    dem = window.workspace.tree.find("dem")
    dem.colormap = Colormap([(0.0, "#000000"), (100.0, "#ffffff")])  # greyscale, kept in the project
    fine = np.random.default_rng(1).random((8, 9)) * 1e3  # float64, not exact in float32
    window.workspace.add_layer(RasterLayer("fine", fine, (ORIGIN[0], 5.0, 0.0, ORIGIN[1], 0.0, -5.0), CRS))
    path = tmp_path / "p.lingtan.gpkg"
    handle = project_actions.save_to(window, path)
    assert handle.wait(60) and handle.state == "done", handle.error
    with rasterio.open(path, TABLE="dem") as ds:  # GDAL sees the raster table (QGIS does too)
        assert np.array_equal(ds.read(1), a)
    assert len(list(sidecar_dir(path).glob("fine-*.tif"))) == 1
    ws = load_project(path)
    back = ws.tree.find("dem")
    assert back.kind == "raster" and back.array.dtype == np.float32 and np.array_equal(back.array, a)
    assert back.transform == dem.transform and back.nodata == -9999.0
    assert back.colormap.to_dict() == dem.colormap.to_dict()
    assert np.array_equal(ws.tree.find("fine").array, fine)
    assert ws.missing_layers == []
    window.set_workspace(ws)
    assert window.last_notice is None
    # the sidecar folder left behind (a project copied alone): the layer is missing, by name
    shutil.rmtree(sidecar_dir(path))
    ws = load_project(path)
    assert ws.missing_layers == ["fine"] and ws.tree.find("dem") is not None
    window.set_workspace(ws)
    assert "fine" in window.last_notice
    assert "fine" in window.statusBar().currentMessage()


def test_ascii_grid_and_large_raster_decimated(gui, tmp_path, monkeypatch):
    """An ESRI ASCII grid written by hand (the format's header: lower-left corner, cell size,
    NODATA_value) reads as the values written; a raster over the cell limit is read at a
    coarser resolution covering the same extent."""
    from app.gui import open_data

    asc = tmp_path / "grid.asc"
    asc.write_text("ncols 4\nnrows 3\nxllcorner 500000\nyllcorner 3400000\ncellsize 10\n"
                   "NODATA_value -9999\n1 2 3 4\n5 6 -9999 8\n9 10 11 12\n")
    r = open_data.read_raster(asc, crs="EPSG:32650")
    assert r.layer.array.tolist() == [[1, 2, 3, 4], [5, 6, -9999, 8], [9, 10, 11, 12]]
    assert r.layer.nodata == -9999 and r.driver == "AAIGrid"
    assert r.layer.transform == (500000.0, 10.0, 0.0, 3400030.0, 0.0, -10.0)  # top-left = yll + 3 × 10
    assert r.stats[0]["valid"] == 11 and r.stats[0]["max"] == 12 and r.stats[0]["min"] == 1
    assert "ESRI ASCII grid" in open_data.raster_report_html(r)
    monkeypatch.setattr(open_data, "MAX_RASTER_CELLS", 100)
    big = _write_tif(tmp_path / "big.tif", _grid())  # 600 cells → every 3rd cell: 7 × 10
    r = open_data.read_raster(big)
    assert r.layer.shape == (7, 10) and r.decimated == 3
    x0, dx, _, y0, _, dy = r.layer.transform
    assert (x0, y0) == ORIGIN
    assert dx * 10 == pytest.approx(30 * CELL_M) and -dy * 7 == pytest.approx(20 * CELL_M)
    assert any("1/3" in en for _lvl, _zh, en in r.problems)
