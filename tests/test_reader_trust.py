"""Readers refuse what would give a wrong answer silently: a .dbf that does not belong to its .shp,
an encoding that does not exist."""

from __future__ import annotations

import shutil

import geopandas as gpd
import pytest
import shapely

from gis.errors import InputError
from gis.io import read_vector


def _points(n: int) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"name": [f"楼{i}" for i in range(n)]},
                            geometry=[shapely.Point(500_000 + i, 3_375_000) for i in range(n)], crs=4547)


def test_a_dbf_of_another_length_is_refused(tmp_path):
    _points(619).to_file(tmp_path / "big.shp", encoding="utf-8")
    _points(10).to_file(tmp_path / "small.shp", encoding="utf-8")
    shutil.copyfile(tmp_path / "small.dbf", tmp_path / "big.dbf")
    with pytest.raises(InputError) as e:
        read_vector(tmp_path / "big.shp")
    assert "619" in e.value.zh and "10" in e.value.zh and "619 shapes" in e.value.en
    assert len(read_vector(tmp_path / "small.shp").gdf) == 10  # a matching set still reads


@pytest.mark.parametrize("name", ["klingon-42", "rot13", "base64", ""])
def test_unknown_encodings_are_refused(tmp_path, name):
    _points(2).to_file(tmp_path / "a.shp", encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_vector(tmp_path / "a.shp", encoding=name)
    assert "编码" in e.value.zh and "encoding" in e.value.en


def test_known_encoding_names_and_aliases_read(tmp_path):
    _points(2).to_file(tmp_path / "a.shp", encoding="gbk")
    assert list(read_vector(tmp_path / "a.shp", encoding="GB2312").gdf["name"]) == ["楼0", "楼1"]


def test_excel_formulas_without_saved_results_are_refused(tmp_path):
    """openpyxl writes formulas without results (as any program but Excel/WPS does): read as empty
    they would count as zero energy."""
    import openpyxl
    import pandas as pd

    from gis.io.tables import read_data_table

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["企业", "年份", "电力(万千瓦时)"])
    ws.append(["甲", 2024, 1200])
    ws.append(["乙", 2024, "=B2*0+C2*2"])
    wb.save(tmp_path / "f.xlsx")
    with pytest.raises(InputError) as e:
        read_data_table(tmp_path / "f.xlsx")
    assert "C3" in e.value.zh and "formula" in e.value.en
    pd.DataFrame({"企业": ["甲"], "年份": [2024], "电力(万千瓦时)": [1200]}).to_excel(tmp_path / "v.xlsx",
                                                                                 index=False)
    assert len(read_data_table(tmp_path / "v.xlsx")[0]) == 1  # values only: read


def test_an_excel_file_that_unpacks_huge_is_refused(tmp_path, monkeypatch):
    import pandas as pd

    import gis.io.tabular as tabular
    from gis.io.tables import read_data_table

    pd.DataFrame({"a": list(range(20_000))}).to_excel(tmp_path / "big.xlsx", index=False)
    monkeypatch.setattr(tabular, "MAX_XLSX_UNZIPPED_BYTES", 100_000)  # the 1 GiB limit, scaled down
    with pytest.raises(InputError) as e:
        read_data_table(tmp_path / "big.xlsx")
    assert "GB" in e.value.zh and "limit" in e.value.en
