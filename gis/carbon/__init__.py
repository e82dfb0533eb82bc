"""Park carbon accounting (pure: no Qt, no app).

- :mod:`gis.carbon.units`      units of energy statistics: parse Chinese/English names, convert
- :mod:`gis.carbon.factors`    emission-factor tables, named factor sets, user overrides
- :mod:`gis.carbon.inventory`  energy tables (long or wide, Chinese or English) → a checked inventory
- :mod:`gis.carbon.emissions`  inventory × factor set → tCO2 and tce by entity, fuel, sector, year
- :mod:`gis.carbon.sinks`      green-space sinks (vector and land-cover rasters)
- :mod:`gis.carbon.balance`    park balance against PV and sinks; :mod:`gis.carbon.indicators`

See docs/carbon.md.
"""
