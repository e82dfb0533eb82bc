"""The array tab's yield line names the grid factor in the UI language only (it showed the
bilingual label, English inside the Chinese UI)."""

from __future__ import annotations


def test_grid_factor_text_is_in_the_ui_language(monkeypatch):
    from app.gui import siting_array_tab
    from gis.grid_factors import grid_factor

    f = grid_factor("national-2023")
    monkeypatch.setattr(siting_array_tab, "ui_lang", lambda: "zh")
    zh = siting_array_tab.factor_text(f)
    assert "全国" in zh and "national" not in zh.lower() and "0.5306" in zh
    monkeypatch.setattr(siting_array_tab, "ui_lang", lambda: "en")
    en = siting_array_tab.factor_text(f)
    assert "national" in en.lower() and "全国" not in en
