"""Reading planners' GIS files: one entry point, a report of what was found and fixed."""

from gis.io.read import inspect_vector, read_attribute_table, read_vector
from gis.io.report import ReadReport, ReadResult
from gis.io.tables import read_data_table

__all__ = ["ReadReport", "ReadResult", "inspect_vector", "read_attribute_table", "read_data_table",
           "read_vector"]
