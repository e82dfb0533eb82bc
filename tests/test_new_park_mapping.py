"""The New Park field mapping: the buildings' height, floors, use, roof type and enterprise id are
guessed by the readers' own guessing, changeable in the wizard and on the command line
(``--height-field`` …), previewed, unreadable values listed, and the choice reaches the park.

Expected values are written out by hand here: storey heights are the published figures of
resources/defaults/storey_heights.csv (industrial 6.0 m: single-storey factories 6–9 m; 'other'
3 m: the OSM Simple 3D Buildings convention of 3 m per level)."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from app.park_new import field_preview, inside_mask, new_park, unreadable_values
from gis.buildings import NO_FIELD, guess_building_fields
from gis.errors import InputError
from tests.conftest import shared

CGCS_114E = 4547  # CGCS2000 3° Gauss–Krüger zone 38, central meridian 114°E (Wuhan)
WUHAN = ("buildings", "wuhan_optics_valley_osm_buildings.geojson")
INDUSTRIAL_STOREY_M = 6.0  # storey_heights.csv, industrial
OTHER_STOREY_M = 3.0  # storey_heights.csv, other: OSM's 3 m per building:levels


@pytest.fixture(autouse=True)
def _own_settings(tmp_path):
    from app.gui.settings import use_settings_dir

    use_settings_dir(tmp_path / "settings")


def _chinese_park():
    """Four footprints with Chinese field names, one red line around all of them."""
    x0, y0 = 530_000.0, 3_380_000.0
    boxes = [shapely.box(x0 + 40 * i, y0, x0 + 40 * i + 30, y0 + 20) for i in range(4)]
    b = gpd.GeoDataFrame({"楼高": ["25米", None, "abc", "-3"],
                          "层数": ["6层", "4", None, "2F"],
                          "用途": ["厂房", "厂房", "仓库", "神秘"],
                          "屋面类型": ["彩钢", "混凝土", "玻璃", None],
                          "企业代码": ["E1", "E1", "E2", None],
                          "备注高度": [10.0, 11.0, 12.0, 13.0]}, geometry=boxes, crs=CGCS_114E)
    red = gpd.GeoDataFrame({"name": ["测试园"]}, geometry=[shapely.box(x0 - 5, y0 - 5, x0 + 200, y0 + 30)],
                           crs=CGCS_114E)
    return b, red


def test_the_usual_chinese_names_are_guessed():
    b, _ = _chinese_park()
    assert guess_building_fields(b.columns) == {"height": "楼高", "floors": "层数", "use": "用途",
                                                "roof": "屋面类型", "enterprise_id": "企业代码"}


def test_lingtans_own_use_class_is_guessed_after_the_usual_names():
    """A file Lingtan wrote (a prepared GeoParquet, a tiled run's output) names the use use_class;
    a planner's own 'use' or '用途' still comes first."""
    assert guess_building_fields(["bldg_id", "use_class", "height_m"])["use"] == "use_class"
    assert guess_building_fields(["use_class", "用途"])["use"] == "用途"


def test_preview_reads_each_feature_as_the_park_will():
    b, _ = _chinese_park()
    p = field_preview(b)
    # 25米 → 25 m; no height but 4 floors of a factory → 4 × 6.0 m; 'abc' and no floors → missing;
    # −3 m is impossible → 2 floors (2F) × 3.0 m ('神秘' is no known use: 'other')
    assert p["height_m"].iloc[0] == 25.0
    assert p["height_m"].iloc[1] == 4 * INDUSTRIAL_STOREY_M
    assert math.isnan(p["height_m"].iloc[2])
    assert p["height_m"].iloc[3] == 2 * OTHER_STOREY_M
    assert list(p["use_class"]) == ["industrial", "industrial", "warehouse", "other"]
    assert list(p["roof_class"][:2]) == ["metal", "flat"]  # 彩钢, 混凝土 are keywords of roof_classes.csv
    assert list(p["enterprise_id"]) == ["E1", "E1", "E2", ""]


def test_values_that_cannot_be_read_are_counted_with_examples():
    b, _ = _chinese_park()
    bad = unreadable_values(b)
    assert (bad["height"].count, set(bad["height"].examples)) == (2, {"abc", "-3"})
    assert bad["floors"].count == 0  # 6层, 4, 2F all read
    assert (bad["use"].count, bad["use"].examples) == (1, ("神秘",))
    assert (bad["roof"].count, bad["roof"].examples) == (1, ("玻璃",))  # glass: no roof class says it
    assert "enterprise_id" not in bad  # any text is an id


def test_a_chosen_field_replaces_the_guess_in_the_park():
    b, red = _chinese_park()
    guessed = new_park({"boundary": red, "buildings": b}).buildings
    chosen = new_park({"boundary": red, "buildings": b},
                      building_fields={"height": "备注高度", "roof": NO_FIELD, "use": NO_FIELD}).buildings
    # the hand values: 25 m; 4 × 6.0 m; missing; 2 × 3.0 m
    np.testing.assert_allclose(guessed["height_m"].to_numpy(), [25.0, 24.0, np.nan, 6.0])
    np.testing.assert_allclose(chosen["height_m"].to_numpy(), [10.0, 11.0, 12.0, 13.0])
    assert chosen["roof_type"].isna().all() and guessed["屋面类型"].iloc[0] == "彩钢"
    assert chosen["use"].isna().all()
    assert (chosen["use_class"] == "other").all()
    with pytest.raises(InputError) as e:
        new_park({"boundary": red, "buildings": b}, building_fields={"height": "nope"})
    assert "nope" in e.value.zh and "nope" in e.value.en and "楼高" in e.value.en  # names the fields there


def test_the_command_line_takes_the_fields(tmp_path, capsys):
    from app.cli import main
    from app.project_file import load_project

    b, red = _chinese_park()
    b.to_file(tmp_path / "b.gpkg")
    red.to_file(tmp_path / "red.gpkg")
    out = tmp_path / "p.lingtan.gpkg"
    files = ["--boundary", str(tmp_path / "red.gpkg"), "--buildings", str(tmp_path / "b.gpkg")]
    assert main(["park", "new", *files,
                 "--height-field", "-", "--floors-field", "层数", "--use-field", "-", "--id-field", "用途",
                 "--out", str(out)]) == 0
    capsys.readouterr()
    park = load_project(out).park
    # no height field: floors × 3.0 m of 'other' use (6, 4, none, 2 floors)
    np.testing.assert_allclose(park.buildings["height_m"].to_numpy(), [18.0, 12.0, np.nan, 6.0])
    assert list(park.buildings["enterprise_id"]) == ["厂房", "厂房", "仓库", "神秘"]
    assert main(["park", "new", *files,
                 "--height-field", "高度啊", "--out", str(tmp_path / "q.lingtan.gpkg")]) != 0
    assert "高度啊" in capsys.readouterr().err


# ---- the wizard on real OSM buildings ------------------------------------------------------------

def _wuhan_workspace():
    from app.workspace import Workspace
    from layers.presets import styled_layer

    raw = gpd.read_file(shared(*WUHAN))
    centre = raw.to_crs(CGCS_114E).union_all().centroid
    red = gpd.GeoDataFrame({"name": ["光谷园"]}, geometry=[centre.buffer(400)], crs=CGCS_114E)
    ws = Workspace()
    ws.add_layer(styled_layer("wuhan_osm", raw))
    ws.add_layer(styled_layer("my_red_line", red))
    return ws, raw, red


def _finish(handle, timeout=180):
    assert handle.wait(timeout), "task did not finish"
    assert handle.state == "done", (handle.state, handle.error, handle.traceback)


def _expected(raw: gpd.GeoDataFrame, park_buildings: gpd.GeoDataFrame, column: str) -> np.ndarray:
    """The park's buildings' values of ``column`` in the OSM file, matched by osm_id."""
    by_id = dict(zip(raw["osm_id"], pd.to_numeric(raw[column], errors="coerce"), strict=True))
    return np.array([by_id[i] for i in park_buildings["osm_id"]], dtype=float)


def test_wizard_guesses_previews_and_its_mapping_changes_the_heights(qtbot):
    from app.gui.new_park_wizard import NewParkWizard

    ws, raw, red = _wuhan_workspace()
    wiz = NewParkWizard(ws, lang="zh")
    qtbot.addWidget(wiz)
    wiz.show()
    assert wiz.red_line_page.combo.currentData() == "my_red_line"
    page = wiz.buildings_page
    assert page.combo.currentData() == "wuhan_osm"
    assert page.field_combos["height"].currentData() == "height"  # OSM's height tag
    assert page.field_combos["use"].currentData() == "kind"
    assert page.field_combos["floors"].currentData() == NO_FIELD
    wiz.next()
    assert wiz.currentPage() is wiz.buildings_page
    inside = inside_mask(raw, red)
    n_in = int(inside.sum())
    assert n_in > 20
    assert page.counts.text().startswith(f"{n_in} ") and str(len(raw) - n_in) in page.counts.text()
    assert page.table.rowCount() == 20
    # the preview shows the buildings inside the red line, their OSM heights
    first = raw[inside].iloc[:20]
    shown = [page.table.item(r, 0).text() for r in range(20)]
    assert shown == ["" if pd.isna(h) else str(h) for h in first["height"]]
    # OSM's 'kind' (building / building_part) is no use: every value listed as unreadable
    assert "kind" in page.unreadable.text() and str(len(raw)) in page.unreadable.text()
    page.choose("use", "kind_detail")
    n_bad = int((raw["kind_detail"].notna() & ~raw["kind_detail"].isin(
        ["commercial", "house", "apartments", "residential"])).sum())  # mall, train_station, hotel
    assert f"{n_bad} " in page.unreadable.text() and "kind_detail" in page.unreadable.text()

    # default height mapping: the heights of the park are OSM's height tag; the project keeps the choice
    wiz.accept()
    assert ws.settings["processing"]["new_park"] == {"use_field": "kind_detail"}
    _finish(wiz.run(None, show_dialog=False, show_errors=False))
    park = ws.park
    np.testing.assert_allclose(park.buildings["height_m"].to_numpy(),
                               _expected(raw, park.buildings, "height"))

    # min_height chosen as the height, floors from n_tile_pieces: heights change accordingly
    ws2, raw, red = _wuhan_workspace()
    wiz2 = NewParkWizard(ws2, lang="zh")
    qtbot.addWidget(wiz2)
    wiz2.buildings_page.choose("height", "min_height")
    wiz2.buildings_page.choose("floors", "n_tile_pieces")
    wiz2.buildings_page.choose("use", None)
    assert wiz2.values()["height_field"] == "min_height" and wiz2.values()["use_field"] == NO_FIELD
    _finish(wiz2.run(None, show_dialog=False, show_errors=False))
    b = ws2.park.buildings
    h_min, pieces = _expected(raw, b, "min_height"), _expected(raw, b, "n_tile_pieces")
    want = np.where(np.isfinite(h_min), h_min, pieces * OTHER_STOREY_M)
    np.testing.assert_allclose(b["height_m"].to_numpy(), want)
    assert not np.allclose(np.nan_to_num(b["height_m"].to_numpy()),
                           np.nan_to_num(_expected(raw, b, "height")))


def test_selected_feature_of_a_polygon_layer_is_the_red_line(qtbot):
    from app.gui.new_park_wizard import NewParkWizard
    from app.workspace import Workspace
    from layers.presets import styled_layer

    b, red = _chinese_park()
    far = red.set_geometry(red.translate(10_000))  # a second red line far away
    two = pd.concat([red, far], ignore_index=True)
    ws = Workspace()
    ws.add_layer(styled_layer("footprints", b))
    lyr = ws.add_layer(styled_layer("红线们", two))
    wiz = NewParkWizard(ws, lang="zh")
    qtbot.addWidget(wiz)
    wiz.show()
    page = wiz.red_line_page
    assert not page.selected_only.isEnabled()
    lyr.selection = [1]
    page.refresh(select="红线们")
    page.selected_only.setChecked(True)
    assert len(page.boundary()) == 1 and page.boundary().geometry.iloc[0].equals(two.geometry.iloc[1])
    wiz.next()
    assert wiz.currentPage() is wiz.buildings_page
    assert wiz.buildings_page.counts.text().startswith("0 ")  # nothing inside the far one
    lyr.selection = [0]
    page.refresh(select="红线们")
    page.selected_only.setChecked(True)
    wiz.buildings_page.initializePage()
    assert wiz.buildings_page.counts.text().startswith("4 ")
    _finish(wiz.run(None, show_dialog=False, show_errors=False))
    assert len(ws.park.buildings) == 4
    assert ws.park.boundary.area.sum() == pytest.approx(red.area.sum())
