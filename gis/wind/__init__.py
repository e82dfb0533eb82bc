"""Wind turbines in and around a park: turbine library and power curves, wind resource, energy
(AEP over Weibull or binned wind climates, sector-wise), wakes (Jensen/NOJ, Bastankhah Gaussian),
constraints (spacing, setbacks, noise ISO 9613-2, shadow flicker) and the per-turbine job.

Pure NumPy/GeoPandas: no Qt. See docs/wind.md for the methods and every default's source.
"""
