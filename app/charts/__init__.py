"""Charts of the hourly energy analysis, drawn with QPainter (QtGui only, never QtWidgets).

:mod:`app.charts.energy_data` turns an hourly table (``SystemResult.hourly_frame()``) into the
arrays the charts draw and into a compact JSON form kept in the project's summary;
:mod:`app.charts.energy_charts` paints them onto any QPainter in a QRectF: the same call draws the
Energy panel's views, a PNG and the PDF report's figures.
"""
