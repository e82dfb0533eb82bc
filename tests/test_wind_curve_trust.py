"""Power curves that cannot be a turbine's are refused or read in the only unit that makes them
possible, by the Betz limit (16/27 of ½ρAv³, Betz 1920) written out here."""

from __future__ import annotations

import math

import pytest

from gis.errors import InputError
from gis.wind.turbines import read_curve_file

META = "# 叶轮直径: 7\n# 轮毂高度: 18\n"  # a 10 kW class rotor: A = π·3.5² = 38.5 m²


def _write(tmp_path, body: str, meta: str = META):
    f = tmp_path / "c.csv"
    f.write_text(meta + body, encoding="utf-8")
    return f


def betz_kw(v: float, d: float, rho: float = 1.225) -> float:
    return 16 / 27 * 0.5 * rho * math.pi * d ** 2 / 4 * v ** 3 / 1000


def test_an_unlabelled_10_kw_curve_in_watts_is_read_as_watts(tmp_path):
    f = _write(tmp_path, "风速,功率\n3,200\n6,2500\n9,7000\n11,10000\n15,10000\n")
    assert 10_000 > betz_kw(11, 7)  # as kW it would take more than the wind holds: 10 MW from a 7 m rotor
    t = read_curve_file(f)
    assert t.curve.power(11.0) == pytest.approx(10.0) and t.rated_kw == pytest.approx(10.0)
    assert any(p.code == "wind.curve_watts" for p in t.problems)


@pytest.mark.parametrize("body, code", [
    ("风速,功率(kW)\n3,0.2\n6,inf\n11,10\n", "wind.curve_not_finite"),
    ("风速,功率(kW)\n3,0.2\n6,nan\n11,10\n", "wind.curve_not_finite"),
    ("风速,功率(kW)\n3,0.2\n6,2.5\n8,40\n9,7\n11,10\n15,10\n", "wind.curve_spike"),  # one 40 among 2.5…10
    ("风速,功率(MW)\n3,0.2\n6,2.5\n11,10\n15,10\n", "wind.curve_physics"),  # kW values under an MW label
    ("风速,功率(kW)\n3,0.2\n6,-3\n11,10\n", "wind.curve_negative"),
])
def test_impossible_curves_are_bilingual_errors(tmp_path, body, code):
    with pytest.raises(InputError) as e:
        read_curve_file(_write(tmp_path, body))
    assert e.value.code == code and "功率曲线" in e.value.zh and "power curve" in e.value.en


def test_a_real_small_turbine_curve_passes(tmp_path):
    # a 10 kW turbine with a 7 m rotor, Cp ≈ 0.35 below rated: 0.35/0.593 of Betz at each speed
    rows = [(v, min(10.0, 0.35 / (16 / 27) * betz_kw(v, 7))) for v in (3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 15)]
    body = "风速,功率(kW)\n" + "".join(f"{v},{p:.3f}\n" for v, p in rows)
    t = read_curve_file(_write(tmp_path, body))
    assert t.rated_kw == pytest.approx(10.0) and not [p for p in t.problems if p.level != "info"]
