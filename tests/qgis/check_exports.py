"""Run by tests/test_qgis_client.py with Debian's python3 and QGIS (python3-qgis): open Lingtan's
exports as QGIS does and print, as JSON, what QGIS draws — per layer the colour each feature gets
from the style QGIS loaded (the GeoPackage's default style, or a Shapefile's .qml / .sld)."""

import json
import os
import sys

from qgis.core import QgsApplication, QgsRenderContext, QgsVectorLayer

out_dir = sys.argv[1]
app = QgsApplication([], False)
app.initQgis()


def colours(layer: QgsVectorLayer, field: str) -> dict:
    """{feature's field value as text: colour name} as the layer's renderer paints it."""
    ctx = QgsRenderContext()
    renderer = layer.renderer().clone()
    renderer.startRender(ctx, layer.fields())
    result = {}
    for f in layer.getFeatures():
        ctx.expressionContext().setFeature(f)
        symbols = renderer.symbolsForFeature(f, ctx)
        value = f[field]
        key = "NULL" if value is None or str(value) == "NULL" else str(value)
        result.setdefault(key, sorted({s.color().name() for s in symbols}) or ["(none)"])
    renderer.stopRender(ctx)
    return result


report = {}
gpkg = f"{out_dir}/park.gpkg"
for name, field in (("township_intensity", "class"), ("rooftop_pv", "bldg_id")):
    layer = QgsVectorLayer(f"{gpkg}|layername={name}", name, "ogr")
    report[f"gpkg:{name}:valid"] = layer.isValid()
    report[f"gpkg:{name}:renderer"] = layer.renderer().type() if layer.renderer() else None
    report[f"gpkg:{name}"] = colours(layer, field)
for name, field in (("township_intensity", "class"), ("rooftop_pv", "bldg_id")):
    shp = f"{out_dir}/shapefile/{name}.shp"
    for style in ("qml", "sld"):
        layer = QgsVectorLayer(shp, name, "ogr")
        path = shp[:-4] + "." + style
        ok = layer.loadNamedStyle(path)[1] if style == "qml" else layer.loadSldStyle(path)[1]
        report[f"shp:{name}:{style}:loaded"] = bool(ok)
        report[f"shp:{name}:{style}"] = colours(layer, field)
print(json.dumps(report, ensure_ascii=False), flush=True)
os._exit(0)  # QGIS 3.22's exitQgis() crashes without a display; nothing is left to clean up
