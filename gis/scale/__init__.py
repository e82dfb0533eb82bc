"""Rooftop PV at county and province scale: tiles with halos (tiles.py), one tile's job and a
serial resumable run (tile_run.py), per-tile result store (store.py), GeoParquet in and out
(geoparquet.py), summaries per county/township/grid cell (aggregate.py) and the Dask cluster
runner (cluster.py). See docs/scale.md."""
