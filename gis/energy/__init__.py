"""Hour by hour: park load, on-site generation, storage dispatch, tariffs and economics (源网荷储).

Conventions shared by every module here:

* Time is a regular ``pandas.DatetimeIndex`` of naive local China Standard Time (UTC+8, no DST);
  each label is the *start* of its interval; ``dt_h`` is the interval length in hours (1, 0.5 or
  0.25).
* Power series are ``numpy`` float arrays of the mean kW over each interval (AC side); energy of an
  interval is ``kw * dt_h`` kWh.
* Bad input raises :class:`gis.errors.InputError` (zh + en); findings are :class:`gis.errors.Problem`.
* Long work takes ``progress: gis.progress.Progress`` and honours cancel.
"""
