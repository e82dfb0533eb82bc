"""An analysis given a GeoParquet layer read by view gets every row of the file, not the view's
(app/processing/file_inputs.py): the rows of an overview are a sample drawn as bounding boxes.

References are independent of the code under test: the polygons are made here on a grid (so none
overlap), and the expected counts and areas per land-cover class are summed with shapely on the frame
as written.
"""

from __future__ import annotations

from typing import ClassVar

import geopandas as gpd
import numpy as np
import pytest
import shapely

from app.processing.algorithm import Algorithm, InputLayer, LayerInput

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

CRS = "EPSG:4547"
X0, Y0 = 500_000.0, 3_300_000.0
SIDE = 40  # 40 × 40 = 1,600 parcels


def parcels(seed: int = 5) -> gpd.GeoDataFrame:
    """``SIDE``² non-overlapping green parcels on a 50 m grid, each an axis-aligned rectangle of random
    size, half 林地 (forest) and half 草地 (grassland) at random."""
    rng = np.random.default_rng(seed)
    i = np.arange(SIDE * SIDE)
    x, y = X0 + (i % SIDE) * 50.0, Y0 + (i // SIDE) * 50.0
    w, h = rng.uniform(10, 45, i.size), rng.uniform(10, 45, i.size)
    cover = rng.choice(np.array(["林地", "草地"]), i.size)
    return gpd.GeoDataFrame({"cover": cover}, geometry=shapely.box(x, y, x + w, y + h), crs=CRS)


@pytest.fixture
def green_file(tmp_path):
    gdf = parcels()
    path = tmp_path / "green.parquet"
    gdf.to_parquet(path, write_covering_bbox=True, row_group_size=200)
    return path, gdf


def view_input(path, name="green", max_features=100) -> InputLayer:
    """What the desktop app passes for a layer read by view in an overview: the view's frame (every
    k-th row as its bbox) and the source."""
    from layers.parquet_source import ParquetSource

    src = ParquetSource(path)
    win = src.window(None, max_features=max_features)
    assert win.overview and len(win.gdf) < src.rows
    return InputLayer(win.gdf, name, path=src.path, source=src)


class Counts(Algorithm):
    """A test algorithm: one polygon input and an optional list of line inputs."""

    id = "counts_test"
    title_zh, title_en = "计数", "Counts"
    inputs: ClassVar = (LayerInput("green", "绿地", "Green", geometry=("polygon",)),
                        LayerInput("rows", "行道树", "Rows", geometry=("line",), required=False,
                                   multiple=True))


def test_every_row_of_the_file_replaces_the_views_sample(green_file):
    from app.processing.file_inputs import needs_reading, read_file_inputs

    path, gdf = green_file
    inputs = {"green": view_input(path), "rows": []}
    assert needs_reading(Counts(), inputs)
    whole = read_file_inputs(Counts(), inputs)["green"]
    assert whole.source is None and len(whole.gdf) == len(gdf)
    assert shapely.equals_exact(whole.gdf.geometry.to_numpy(), gdf.geometry.to_numpy(), 1e-9).all()
    assert (whole.gdf["cover"].to_numpy() == gdf["cover"].to_numpy()).all()
    assert not needs_reading(Counts(), {"green": whole, "rows": []})


def test_sinks_of_a_layer_read_by_view_count_every_parcel_of_the_file(green_file):
    from app.algorithms.sinks import Sinks
    from app.processing.file_inputs import read_file_inputs

    path, gdf = green_file
    alg = Sinks()
    inputs = {"green": view_input(path)}
    alg.check_inputs(inputs)
    out = alg.run(alg.values({}), read_file_inputs(alg, inputs))
    got = {r["class"]: r for r in out.summary["by_class"]}
    area = gdf.geometry.area.to_numpy()
    for cover, cls in (("林地", "forest"), ("草地", "grassland")):
        want = gdf["cover"].to_numpy() == cover
        assert got[cls]["n"] == int(want.sum())
        assert got[cls]["area_m2"] == pytest.approx(area[want].sum(), abs=0.1)


def test_a_file_too_large_is_refused_at_once_in_both_languages(green_file, monkeypatch):
    import app.processing.file_inputs as fi
    from gis.errors import InputError

    path, _ = green_file
    monkeypatch.setattr(fi, "FILE_INPUT_MAX_ROWS", SIDE * SIDE - 1)
    with pytest.raises(InputError) as err:
        Counts().check_inputs({"green": view_input(path)})
    assert err.value.code == "input.green.too_large"
    assert "1,600" in err.value.zh and "1,600" in err.value.en and "屋顶光伏潜力" in err.value.zh
    monkeypatch.setattr(fi, "FILE_INPUT_MAX_ROWS", SIDE * SIDE)
    Counts().check_inputs({"green": view_input(path)})


def test_geometry_kind_is_checked_on_the_files_rows_not_the_views_boxes(green_file, tmp_path):
    from app.processing.file_inputs import read_file_inputs
    from gis.errors import InputError

    path, gdf = green_file
    b = gdf.bounds
    diagonals = np.stack([b[["minx", "miny"]].to_numpy(), b[["maxx", "maxy"]].to_numpy()], axis=1)
    lines = gpd.GeoDataFrame({"tree_count": np.arange(len(gdf))}, geometry=shapely.linestrings(diagonals),
                             crs=CRS)
    line_path = tmp_path / "rows.parquet"
    lines.to_parquet(line_path, write_covering_bbox=True, row_group_size=200)
    rows = view_input(line_path, "rows")
    assert set(rows.gdf.geom_type) == {"Polygon"}  # the overview draws lines as their boxes
    inputs = {"green": view_input(path), "rows": [rows]}
    Counts().check_inputs(inputs)  # not refused for the boxes
    whole = read_file_inputs(Counts(), inputs)
    assert len(whole["rows"][0].gdf) == len(lines) and set(whole["rows"][0].gdf.geom_type) == {"LineString"}
    wrong = {"green": view_input(path), "rows": [view_input(path, "rows")]}  # polygons as tree rows
    with pytest.raises(InputError) as err:
        read_file_inputs(Counts(), wrong)
    assert err.value.code == "input.rows"


def test_reading_stops_on_cancel(green_file):
    from app.processing.file_inputs import read_file_inputs
    from gis.progress import Cancelled, Progress

    path, _ = green_file
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        read_file_inputs(Counts(), {"green": view_input(path)}, progress)


def test_inputs_an_algorithm_reads_itself_are_left_alone(green_file):
    from app.algorithms.new_park import NewPark
    from app.algorithms.rooftop_pv import RooftopPV
    from app.processing.file_inputs import needs_reading

    path, _ = green_file
    assert not needs_reading(RooftopPV(), {"buildings": view_input(path, "buildings")})
    assert not needs_reading(NewPark(), {"boundary": None, "buildings": view_input(path, "buildings"),
                                         "green": view_input(path)})


def test_desktop_run_of_sinks_on_a_parquet_layer_uses_the_whole_file(window, qtbot, green_file, monkeypatch):
    """The real dialog and task: the layer shows an overview, the run's table counts every parcel."""
    from app.algorithms.sinks import Sinks
    from app.gui.algorithm_dialog import AlgorithmDialog, run_algorithm
    from tests.parquet_gui import opened

    path, gdf = green_file
    layer = opened(window, qtbot, path, monkeypatch, CRS, max_features=100)
    assert len(layer.gdf) < len(gdf)
    alg = Sinks()
    dialog = AlgorithmDialog(alg, window.workspace, window)
    dialog.select_input("green", layer.name)
    alg.check_inputs(dialog.inputs())
    task = run_algorithm(window, window.workspace, alg, alg.values({}), dialog.inputs(), show_dialog=False)
    assert task.wait(120) and task.state == "done", task.error
    assert sum(r["n"] for r in task.result.summary["by_class"]) == len(gdf)
    assert len(window.workspace.layer("green_sinks").gdf) == len(gdf)
