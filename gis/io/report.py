"""What a reader found and fixed in one input file."""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd

from gis.errors import Level, Problem


@dataclass
class ReadReport:
    """Everything ``lingtan info`` prints and the GUI shows after opening a file."""

    path: str
    format: str = ""
    layer: str | None = None
    layers: list[str] = field(default_factory=list)
    encoding: str | None = None
    encoding_source: str | None = None  # cpg | ldid | detected | user | format
    encoding_detail: str | None = None  # how the encoding was decided (English)
    encoding_detail_zh: str | None = None  # the same in Chinese
    crs: str = "unknown"
    crs_source: str = "none"  # file | user | inferred-lonlat | none
    webmap: str | None = None  # gcj02/bd09 when converted to WGS84
    geometry_types: dict[str, int] = field(default_factory=dict)
    feature_count: int = 0
    fields: dict[str, str] = field(default_factory=dict)
    bounds: list[float] | None = None
    problems: list[Problem] = field(default_factory=list)

    def add(self, level: Level, code: str, zh: str, en: str, ids=None) -> None:
        self.problems.append(Problem(level, code, zh, en, list(ids) if ids is not None else []))

    def extend(self, problems: list[Problem]) -> None:
        self.problems.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "warning"]

    def describe(self, gdf: gpd.GeoDataFrame | None) -> None:
        """Fill counts, geometry types, fields and bounds from the frame that was read."""
        if gdf is None:
            return
        from gis.geometry import geometry_type_counts

        self.feature_count = len(gdf)
        has_geometry = isinstance(gdf, gpd.GeoDataFrame) and gdf.active_geometry_name is not None
        geom_col = gdf.active_geometry_name if has_geometry else None
        self.fields = {str(c): str(gdf[c].dtype) for c in gdf.columns if c != geom_col}
        if geom_col:
            self.geometry_types = geometry_type_counts(gdf)
            if len(gdf):
                self.bounds = [round(float(v), 6) for v in gdf.total_bounds]

    def to_dict(self) -> dict:
        return {
            "path": self.path, "format": self.format, "layer": self.layer,
            "layers": self.layers, "encoding": self.encoding,
            "encoding_source": self.encoding_source, "encoding_detail": self.encoding_detail,
            "encoding_detail_zh": self.encoding_detail_zh,
            "crs": self.crs, "crs_source": self.crs_source, "webmap": self.webmap,
            "geometry_types": self.geometry_types, "feature_count": self.feature_count,
            "fields": self.fields, "bounds": self.bounds,
            "problems": [p.to_dict() for p in self.problems],
        }


@dataclass
class ReadResult:
    """A layer read from a file: the data (in its source CRS, web offsets removed) and the report."""

    gdf: gpd.GeoDataFrame
    report: ReadReport
