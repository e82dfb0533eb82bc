"""Write the embedded sample park to this folder: ``python resources/sample/make_sample_park.py``.

The generator is :mod:`gis.sample_park` (deterministic, seeded); tests/test_sample_park.py
checks that the committed files equal a fresh run.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from gis.sample_park import generate

LAYERS = ("boundary", "buildings", "green", "tree_rows", "townships")


def main(out: Path) -> None:
    park = generate()
    gpkg = out / "park.gpkg"
    gpkg.unlink(missing_ok=True)
    for name in LAYERS:
        getattr(park, name).to_file(gpkg, layer=name, driver="GPKG", engine="pyogrio")
    # UTF-8 with BOM: Excel on Chinese Windows opens it with the right characters
    park.enterprises.to_csv(out / "enterprises_energy.csv", index=False, encoding="utf-8-sig")
    park.township_stats.to_csv(out / "township_stats.csv", index=False, encoding="utf-8-sig")
    print(f"wrote {gpkg} ({', '.join(LAYERS)}), enterprises_energy.csv, township_stats.csv")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent)
