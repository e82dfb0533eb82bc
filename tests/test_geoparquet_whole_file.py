"""Whole-file tools on a GeoParquet layer read by view: select by expression over every row of the file
(layers/parquet_query.py, app/gui/select_dialog.py), zoom to every selected row, the attribute table's
filter labelled as a filter of the rows read, Chinese/English aliases of the row keys, and a park made
from such a layer taking its file's rows inside the red line (app/park_parquet.py), not the view's.

References are independent of the code under test: the footprints are made here (boxes known by
construction, a use and a height per row), the expected rows of an expression are picked with numpy on
the frame as written (a row's key is its position: the files of a folder in path order), and the park's
buildings are the written footprints whose point on surface lies in the red line (shapely).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from tests.parquet_gui import opened as open_parquet
from tests.parquet_gui import show_view

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

CRS = "EPSG:4547"
X0, Y0, SPAN_M = 500_000.0, 3_300_000.0, 4_000.0
N = 6_000
USES = np.array(["industrial", "office", "warehouse", "住宅"])


def footprints(n: int = N, seed: int = 3) -> gpd.GeoDataFrame:
    """``n`` rectangles over a 4 km square in Hilbert order, with bx0…by1 their boxes by construction,
    a use, a height, kwh_yr and roof_m2 (for the derived kwh_per_m2 of a rooftop_pv layer)."""
    rng = np.random.default_rng(seed)
    x, y = rng.uniform(X0, X0 + SPAN_M, n), rng.uniform(Y0, Y0 + SPAN_M, n)
    w, h = rng.uniform(8, 20, n), rng.uniform(6, 15, n)
    gdf = gpd.GeoDataFrame({"use": rng.choice(USES, n), "height_m": np.round(rng.uniform(3, 60, n), 2),
                            "kwh_yr": np.round(rng.uniform(1e3, 5e4, n), 1), "roof_m2": w * h,
                            "bx0": x, "by0": y, "bx1": x + w, "by1": y + h},
                           geometry=shapely.box(x, y, x + w, y + h), crs=CRS)
    order = np.argsort(gdf.geometry.hilbert_distance(total_bounds=(X0, Y0, X0 + SPAN_M, Y0 + SPAN_M)))
    return gdf.iloc[order].reset_index(drop=True)


@pytest.fixture
def folder(tmp_path):
    """Two files in a folder (keys continue from the first file into the second), bbox covering."""
    gdf = footprints()
    out = tmp_path / "city"
    out.mkdir()
    gdf.iloc[:2500].to_parquet(out / "part-0.parquet", write_covering_bbox=True, row_group_size=400)
    gdf.iloc[2500:].to_parquet(out / "part-1.parquet", write_covering_bbox=True, row_group_size=400)
    return out, gdf


def boxes_of(gdf, keys):
    k = np.asarray(keys)
    return (gdf["bx0"].to_numpy()[k].min(), gdf["by0"].to_numpy()[k].min(),
            gdf["bx1"].to_numpy()[k].max(), gdf["by1"].to_numpy()[k].max())


# ---------------------------------------------------------------- the file, without Qt


def test_select_by_expression_searches_every_row_of_the_file(folder):
    from gis.errors import InputError
    from gis.progress import Cancelled, Progress
    from layers.parquet_query import expression_columns, keys_where
    from layers.parquet_source import ParquetSource

    path, gdf = folder
    src = ParquetSource(path)
    use, height = gdf["use"].to_numpy(), gdf["height_m"].to_numpy()
    cases = {
        'use == "office" and height_m > 40': np.flatnonzero((use == "office") & (height > 40)),
        "use = '住宅' OR height_m < 4": np.flatnonzero((use == "住宅") | (height < 4)),
        "file_row >= 2490 and file_row < 2510": np.arange(2490, 2510),  # across the two files
        "`height_m` >= 59.5": np.flatnonzero(height >= 59.5),
    }
    for text, want in cases.items():
        got = keys_where(src, text)
        assert got.dtype == np.int64 and np.array_equal(got, want), text
    assert len(keys_where(src, "")) == N
    # only the columns named are read; a derived column of the layer reads its inputs
    assert expression_columns(src, 'use == "height_m"') == ["use"]  # a word in quotes is text
    assert expression_columns(src, "kwh_per_m2 > 100", "rooftop_pv") == ["kwh_yr", "roof_m2"]
    per_m2 = np.round(gdf["kwh_yr"].to_numpy() / gdf["roof_m2"].to_numpy(), 1)
    assert np.array_equal(keys_where(src, "kwh_per_m2 > 100", "rooftop_pv"), np.flatnonzero(per_m2 > 100))
    with pytest.raises(InputError) as bad:
        keys_where(src, "heigth_m > 3")
    assert bad.value.code == "query.expression" and "height_m" in bad.value.en  # names the file's fields
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        keys_where(src, "height_m > 3", progress=progress)


def test_the_selected_rows_extent_comes_from_the_file(folder, tmp_path):
    from layers.parquet_query import keys_bounds
    from layers.parquet_source import ParquetLayer, ParquetSource

    path, gdf = folder
    keys = np.array([5, 2600, 4100, 17])
    assert keys_bounds(ParquetSource(path), keys) == pytest.approx(boxes_of(gdf, keys), abs=1e-6)
    assert keys_bounds(ParquetSource(path), []) is None
    plain = tmp_path / "plain.parquet"  # no covering column: from the geometries
    gdf.to_parquet(plain, row_group_size=700)
    assert keys_bounds(ParquetSource(plain), keys) == pytest.approx(boxes_of(gdf, keys), abs=1e-6)
    # the layer: zoomed in, a selection mostly out of view still has its whole extent
    layer = ParquetLayer("city", ParquetSource(path), max_features=500)
    layer.show_window(layer.source.window((X0, Y0, X0 + 200, Y0 + 200), max_features=500))
    layer.select_keys(keys)
    assert layer.selection_bounds() == pytest.approx(boxes_of(gdf, keys), abs=1e-6)
    lonlat = layer.selection_bounds("EPSG:4326")
    assert 100 < lonlat[0] < lonlat[2] < 130


def test_a_selection_inside_the_window_has_its_extent_without_reading_the_file(folder, monkeypatch):
    """Rows selected on the map (all in the window, also in an overview, whose rows are their boxes)
    get their extent from the window's frame; rows out of view from the file."""
    import layers.parquet_query as parquet_query
    from layers.parquet_source import ROW_KEY, ParquetLayer, ParquetSource

    path, gdf = folder
    for max_features in (5000, 300):  # full rows, then an overview of boxes
        layer = ParquetLayer("city", ParquetSource(path), max_features=max_features)
        layer.show_window(layer.source.window((X0, Y0, X0 + 2000, Y0 + 2000), max_features=max_features))
        rows = np.arange(0, len(layer.gdf), 7)
        keys = layer.gdf[ROW_KEY].to_numpy()[rows]
        with monkeypatch.context() as m:
            m.setattr(parquet_query, "keys_bounds", lambda *a: pytest.fail("read the file"))
            layer.selection = rows
            assert layer.selection_bounds() == pytest.approx(boxes_of(gdf, keys), abs=1e-6)
    layer.select_keys(np.r_[keys, N - 1])  # one out of view: read from the file
    assert layer.selection_bounds() == pytest.approx(boxes_of(gdf, np.r_[keys, N - 1]), abs=1e-6)


def test_row_keys_have_aliases_in_both_languages():
    from layers.registry import field_alias

    assert field_alias("file_row", None, "zh") == "文件行号"
    assert field_alias("file_row", "rooftop_pv", "en") == "row in file"
    assert field_alias("lingtan_row", "rooftop_pv", "zh") == "输入行号"
    assert field_alias("lingtan_row", None, "en") == "row of the input"
    assert field_alias("tile_id", None, "zh") == "分块编号"


# ---------------------------------------------------------------- in the app


def opened(window, qtbot, path, monkeypatch, max_features=800):
    return open_parquet(window, qtbot, path, monkeypatch, CRS, max_features)


def test_select_by_attribute_and_zoom_to_selection_use_the_whole_file(window, qtbot, folder, monkeypatch):
    from app.gui.select_dialog import SelectByAttributeDialog
    from layers.parquet_source import ROW_KEY

    path, gdf = folder
    layer = opened(window, qtbot, path, monkeypatch)
    show_view(window, qtbot, layer, (X0 + 200, Y0 + 200, X0 + 500, Y0 + 400))  # a corner: few rows read
    assert not layer.last_window.overview and len(layer.gdf) < N / 4
    use, height = gdf["use"].to_numpy(), gdf["height_m"].to_numpy()
    want = np.flatnonzero((use == "warehouse") & (height > 45))
    in_window = set(want) & set(layer.gdf[ROW_KEY])
    assert len(want) > 3 * max(len(in_window), 1)  # most of them out of view
    dialog = SelectByAttributeDialog(layer, window)
    dialog.expression.setText('use == "warehouse" and height_m > 45')
    dialog.update_count()
    assert dialog.status.text().startswith(f"{len(in_window):,} of the {len(layer.gdf):,} rows read")
    assert f"{N:,} rows of the file" in dialog.status.text()
    dialog.accept()
    assert dialog.task is not None and dialog.task.wait(30) and dialog.task.state == "done"
    assert np.array_equal(layer.selected_keys, want)
    assert set(layer.gdf[ROW_KEY].to_numpy()[layer.selection]) == in_window  # the map shows its part
    assert "in the whole file" in window.statusBar().currentMessage()
    # modes combine with the selection over the whole file
    more = np.flatnonzero(height > 59)
    dialog = SelectByAttributeDialog(layer, window)
    dialog.expression.setText("height_m > 59")
    dialog.mode.setCurrentIndex(dialog.mode.findData("add"))
    dialog.accept()
    assert dialog.task.wait(30) and np.array_equal(layer.selected_keys, np.union1d(want, more))
    # zoom to selection: every selected row, not only those in the window; their extent was read
    # with the search, so the zoom reads nothing in the GUI thread
    import layers.parquet_query as parquet_query

    monkeypatch.setattr(parquet_query, "keys_bounds", lambda *a: pytest.fail("the zoom read the file"))
    window.canvas.zoom_to_selection()
    e = window.canvas.extent()
    b = boxes_of(gdf, layer.selected_keys)
    assert e[0] <= b[0] and e[1] <= b[1] and e[2] >= b[2] and e[3] >= b[3]
    assert (e[2] - e[0]) > 0.5 * (b[2] - b[0])  # zoomed to it, not further
    # a bad expression never closes the dialog nor starts a search
    dialog = SelectByAttributeDialog(layer, window)
    dialog.expression.setText("heigth_m > 3")
    dialog.accept()
    assert dialog.task is None and not dialog.ok_button.isEnabled()
    window.canvas.clear_selection()


def test_attribute_table_filter_says_it_filters_the_rows_read(window, qtbot, folder, monkeypatch):
    from layers.layer import VectorLayer

    path, gdf = folder
    layer = opened(window, qtbot, path, monkeypatch)
    show_view(window, qtbot, layer, (X0 + 1000, Y0 + 1000, X0 + 1300, Y0 + 1200))
    window.open_attribute_table(layer)
    table = window.attribute_table
    assert table.btn_search_file.isVisibleTo(table) and "rows read" in table.filter.placeholderText()
    table.filter.setText("warehouse")
    table.apply_filter()
    assert "The filter searches only these rows" in table.count.text()
    # its header names the row key in the UI language
    assert table.model.header_text(table.model.columns.index("file_row")) == "row in file"
    dialog = table.search_whole_file()
    assert dialog is not None and dialog.whole_file and dialog.layer is layer
    dialog.reject()
    # an ordinary layer: the plain filter, no whole-file search
    plain = VectorLayer("plain", gdf.iloc[:50].copy())
    window.workspace.add_layer(plain)
    table.set_layer(plain)
    assert not table.btn_search_file.isVisibleTo(table)
    assert table.filter.placeholderText() == "Filter: text in any column"


def whole_file_park(red, gdf) -> np.ndarray:
    """The reference: the park made of the whole written frame in memory (same red line): the sorted
    bx0 of its buildings (inside the red line, overlapping parts dropped)."""
    from app.park_new import new_park

    return np.sort(new_park({"boundary": red, "buildings": gdf}).buildings["bx0"].to_numpy())


def red_line(dx=1200.0, dy=900.0) -> gpd.GeoDataFrame:
    poly = shapely.Polygon([(X0 + 1500, Y0 + 1500), (X0 + 1500 + dx, Y0 + 1500),
                            (X0 + 1500 + dx, Y0 + 1500 + dy), (X0 + 1700, Y0 + 1500 + dy)])
    return gpd.GeoDataFrame({"name": ["园区"]}, geometry=[poly], crs=CRS)


def test_a_park_made_from_a_layer_read_by_view_takes_the_files_rows(window, qtbot, folder, monkeypatch):
    """Use as park layer → buildings on a GeoParquet in an overview: the park (and so Run All) gets
    every footprint of the file inside the red line, not the overview's sample of boxes; the file layer
    stays on the map; too many rows for the park analyses are refused, naming the tiled tool."""
    import app.park_parquet as pp
    from layers.layer import VectorLayer

    path, gdf = folder
    layer = opened(window, qtbot, path, monkeypatch, max_features=300)
    assert layer.last_window.overview
    red = red_line()
    inside = shapely.contains(red.geometry.iloc[0], gdf.geometry.representative_point().to_numpy())
    want = whole_file_park(red, gdf)
    assert inside.sum() > len(want) > 10 * (layer.gdf.geometry.within(red.geometry.iloc[0])).sum()
    boundary = VectorLayer("red", red)
    window.workspace.add_layer(boundary)
    assert window.assign_park_role(boundary, "boundary") is None
    handle = window.assign_park_role(layer, "buildings")
    assert handle.wait(60) and handle.state == "done", handle.error
    park = window.workspace.park
    assert np.array_equal(np.sort(park.buildings["bx0"].to_numpy()), want)
    assert any(ly is layer for ly in window.workspace.tree.layers())  # the file stays on the map
    assert window.workspace.layer("buildings") is not layer
    # the file keeps its role: a larger red line takes the file's rows inside it again ...
    larger = red_line(1300.0, 1000.0)
    inside = shapely.contains(larger.geometry.iloc[0], gdf.geometry.representative_point().to_numpy())
    handle = window.assign_park_role(window.workspace.add_layer(VectorLayer("red2", larger)), "boundary")
    assert handle.wait(60) and handle.state == "done", handle.error
    park = window.workspace.park
    assert np.array_equal(np.sort(park.buildings["bx0"].to_numpy()), whole_file_park(larger, gdf))
    # ... and too many for the park analyses are refused in both languages, the park unchanged
    monkeypatch.setattr(pp, "PARK_MAX_ROWS", int(inside.sum()) - 1)
    monkeypatch.setattr("app.gui.tasks.show_error", lambda *a, **k: None)
    handle = window.assign_park_role(window.workspace.add_layer(VectorLayer("red3", larger)), "boundary")
    assert handle.wait(60) and handle.state == "failed" and handle.error.code == "park.parquet_too_large"
    assert "屋顶光伏潜力" in handle.error.zh and "Rooftop PV potential" in handle.error.en
    assert window.workspace.park is park


def test_a_file_opened_as_buildings_stays_the_file(window, qtbot, tmp_path, monkeypatch):
    """buildings.parquet opens as layer "buildings": made the park's buildings it is renamed (titled by
    its file) and keeps following the map, instead of the park's layer replacing its frame."""
    from layers.layer import VectorLayer

    gdf = footprints(2000)
    one = tmp_path / "buildings.parquet"
    gdf.to_parquet(one, write_covering_bbox=True, row_group_size=500)
    named = opened(window, qtbot, one, monkeypatch, max_features=300)
    assert named.name == "buildings"
    red = red_line()
    window.assign_park_role(window.workspace.add_layer(VectorLayer("red", red)), "boundary")
    handle = window.assign_park_role(named, "buildings")
    assert handle.wait(60) and handle.state == "done", handle.error
    park_layer = window.workspace.layer("buildings")
    assert park_layer is not named and named.name == "buildings_file" and named.title == "buildings.parquet"
    assert np.array_equal(np.sort(park_layer.gdf["bx0"].to_numpy()), whole_file_park(red, gdf))
    assert any(ly is named for ly in window.workspace.tree.layers()) and named.follower is not None


def test_the_new_park_algorithm_reads_an_input_read_by_view_from_its_file(folder):
    from app.processing.algorithm import InputLayer
    from app.processing.registry import algorithm
    from layers.parquet_source import ParquetLayer, ParquetSource

    path, gdf = folder
    layer = ParquetLayer("city", ParquetSource(path), max_features=300)  # an overview of boxes
    red = red_line()
    inside = shapely.contains(red.geometry.iloc[0], gdf.geometry.representative_point().to_numpy())
    alg = algorithm("new_park")
    inputs = {"boundary": InputLayer(red, "red"),
              "buildings": InputLayer(layer.gdf, "city", source=layer.source)}
    out = alg.run(alg.values(partial=True), inputs)
    assert np.array_equal(np.sort(out.result.buildings["bx0"].to_numpy()), whole_file_park(red, gdf))
    from_view = alg.run(alg.values(partial=True), {**inputs, "buildings": InputLayer(layer.gdf, "city")})
    assert inside.sum() >= len(out.result.buildings) > 10 * len(from_view.result.buildings)


def test_new_park_wizard_counts_the_files_buildings_in_the_red_line(window, qtbot, folder, monkeypatch):
    """The wizard's buildings step on a GeoParquet layer in an overview counts the file's footprints,
    inside the red line (point on surface) and outside it among those whose bbox meets its extent, not
    the view's sample; a file too large to read there is counted by bbox, and too large for a park
    is flagged in red."""
    import app.gui.new_park_wizard as npw
    import app.park_parquet as pp
    from layers.layer import VectorLayer

    path, gdf = folder
    layer = opened(window, qtbot, path, monkeypatch, max_features=300)
    assert layer.last_window.overview
    red = red_line()
    window.workspace.add_layer(VectorLayer("red", red))
    poly = red.geometry.iloc[0]
    inside = shapely.contains(poly, gdf.geometry.representative_point().to_numpy())
    x0, y0, x1, y1 = red.total_bounds
    meets = ((gdf["bx0"] <= x1) & (gdf["bx1"] >= x0) & (gdf["by0"] <= y1) & (gdf["by1"] >= y0)).to_numpy()
    n_in, n_out = int(inside.sum()), int(meets.sum() - inside.sum())
    assert n_in > 100 and n_out > 10

    def step(**limits):
        for name, value in limits.items():
            monkeypatch.setattr(npw if name == "FILE_ROWS_READ_HERE" else pp, name, value)
        wiz = npw.NewParkWizard(window.workspace, lang="zh")
        qtbot.addWidget(wiz)
        wiz.show()
        wiz.red_line_page.combo.setCurrentIndex(wiz.red_line_page.combo.findData("red"))
        wiz.buildings_page.combo.setCurrentIndex(wiz.buildings_page.combo.findData(layer.name))
        wiz.next()
        assert wiz.currentPage() is wiz.buildings_page
        return wiz.buildings_page

    import re

    def numbers(text: str) -> list[int]:
        return [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", text)]

    page = step()  # the UI's language: the test window's (the numbers are what matters)
    assert numbers(page.counts.text()) == [n_in, n_out]
    assert page.table.rowCount() == 20
    page = step(FILE_ROWS_READ_HERE=int(meets.sum()) - 1)
    assert numbers(page.counts.text()) == [int(meets.sum())] and "color" not in page.counts.styleSheet()
    page = step(PARK_MAX_ROWS=int(meets.sum()) - 1)
    assert numbers(page.counts.text()) == [int(meets.sum()), int(meets.sum()) - 1]
    assert "#b00020" in page.counts.styleSheet()
    # a file that cannot be read any more: the step falls back to the rows in view, without an error

    def gone(*_a):
        raise OSError("the file is gone")

    monkeypatch.setattr(layer.source, "count", gone)
    page = step()
    shown = numbers(page.counts.text())
    assert len(shown) == 2 and sum(shown) == len(layer.gdf) and shown[0] < n_in
