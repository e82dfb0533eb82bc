"""A form of parameters generated from their declarations (:class:`app.processing.params.Param`):
one widget per parameter by its kind — a spin box with unit and range, "automatic" with what it
means, choices with their zh/en names, a file picker, a pair of numbers — tooltips with the help,
the default and its source, advanced parameters folded, all in a scroll area. The algorithm
dialogs and the Analysis menu's dialogs are built from it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.processing.params import Param, ParamValues


def _tooltip(p: Param, lang: str) -> str:
    parts = [p.help(lang)] if p.help(lang) else []
    default = "默认：" if lang == "zh" else "Default: "
    if p.default is None:
        parts.append(default + (p.auto_zh if lang == "zh" else p.auto_en))
    elif p.kind == "bool":
        parts.append(default + {("zh", True): "开", ("zh", False): "关", ("en", True): "on",
                                ("en", False): "off"}[(lang, bool(p.default))])
    else:
        shown = "x".join(f"{v:g}" for v in p.default) if p.kind == "pair" else (
            f"{p.default:g}" if isinstance(p.default, float) else str(p.default))
        parts.append(default + f"{shown} {p.unit}".strip())
    if p.source:
        parts.append(("来源：" if lang == "zh" else "Source: ") + p.source)
    if p.range_text() and p.kind != "choice":
        parts.append(("范围：" if lang == "zh" else "Range: ") + p.range_text())
    parts.append(f"({p.cli_flag})")
    return "\n".join(parts)


class _ParamWidget:
    """A parameter's widget(s): ``get()`` the value (None = automatic), ``set(value)``."""

    def __init__(self, p: Param, lang: str) -> None:
        self.p = p
        self.lang = lang
        self.widget: QWidget
        self.auto: QCheckBox | None = None
        self.spins: list = []
        kind = p.kind
        if kind in ("float", "int"):
            spin = self._spin(*p.bounds(), int_=kind == "int")
            self.spins = [spin]
            self.widget = self._with_auto(spin)
        elif kind == "pair":
            a = self._spin(*p.bounds(0), int_=p.pair_type is int)
            b = self._spin(*p.bounds(1), int_=p.pair_type is int)
            self.spins = [a, b]
            box = QWidget()
            row = QHBoxLayout(box)
            row.setContentsMargins(0, 0, 0, 0)
            row.addWidget(a)
            row.addWidget(QLabel("×"))
            row.addWidget(b)
            self.widget = self._with_auto(box)
        elif kind == "bool":
            self.check = QCheckBox()
            self.widget = self.check
        elif kind == "choice":
            self.combo = QComboBox()
            if p.optional:  # "automatic" is a choice of its own, saying what it means
                auto = p.auto_zh if lang == "zh" else p.auto_en
                self.combo.addItem(("自动：" if lang == "zh" else "Automatic: ") + auto, None)
            for v, zh, en in p.choice_list():
                self.combo.addItem(zh if lang == "zh" else en, v)
            self.widget = self.combo
            if p.or_kind:
                self.widget = self._open_choice()
        elif kind == "text" and p.suggest is not None:
            self.combo = QComboBox()
            self.combo.setEditable(True)
            self.combo.addItems([str(v) for v in p.suggest()])
            self.combo.setCurrentIndex(-1)
            self.edit = self.combo.lineEdit()
            self.widget = self.combo
        else:  # text, file, keyvalues
            self.edit = QLineEdit()
            if p.optional:
                self.edit.setPlaceholderText(p.auto_zh if lang == "zh" else p.auto_en)
            if kind == "keyvalues":
                keys = "; ".join(f"{v}=…" for v, _, _ in p.choice_list())
                self.edit.setPlaceholderText(keys)
            if kind == "file":
                self.widget = file_picker(self.edit, self.edit, p.label(lang), p.filters, lang)
            else:
                self.widget = self.edit
        self.widget.setToolTip(_tooltip(p, lang))
        self.widget.setObjectName(f"param_{p.name}")

    def _open_choice(self) -> QWidget:
        """The choices, editable for the other values the parameter admits (a year, a file: with
        Browse…)."""
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.edit = self.combo.lineEdit()
        if self.p.or_kind != "file":
            return self.combo
        return file_picker(self.combo, self.edit, self.p.label(self.lang), self.p.filters, self.lang)

    def _spin(self, lo: float | None, hi: float | None, *, int_: bool):
        spin = QSpinBox() if int_ else QDoubleSpinBox()
        spin.setRange(int(lo if lo is not None else -1e9) if int_ else (lo if lo is not None else -1e12),
                      int(hi if hi is not None else 1e9) if int_ else (hi if hi is not None else 1e12))
        if not int_:
            span = (hi or 1e6) - (lo or 0)
            spin.setDecimals(3 if span <= 10 else 2)
            spin.setSingleStep(0.05 if span <= 2 else (0.5 if span <= 100 else 1.0))
        if self.p.unit:
            spin.setSuffix(f" {self.p.unit}")
        spin.setKeyboardTracking(False)
        return spin

    def _with_auto(self, value_widget: QWidget) -> QWidget:
        if not self.p.optional:
            return value_widget
        self.value_widget = value_widget
        auto_text = self.p.auto_zh if self.lang == "zh" else self.p.auto_en
        self.auto = QCheckBox("自动" if self.lang == "zh" else "Auto")
        self.auto.setToolTip(auto_text)
        # while automatic, the spin box gives way to what "automatic" means (a disabled 0.00 would
        # read as a value)
        self.auto_label = QLabel(auto_text)
        self.auto_label.setStyleSheet("color: #666;")
        self.auto_label.setWordWrap(True)
        self.auto.toggled.connect(self._auto_toggled)
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.auto)
        row.addWidget(value_widget, 1)
        row.addWidget(self.auto_label, 1)
        value_widget.setVisible(False)
        self.auto.setChecked(True)
        return box

    def _auto_toggled(self, on: bool) -> None:
        self.value_widget.setEnabled(not on)
        self.value_widget.setVisible(not on)
        self.auto_label.setVisible(on)

    def set(self, value: Any) -> None:
        p = self.p
        if p.kind in ("float", "int"):
            if self.auto is not None:
                self.auto.setChecked(value is None)
                self._auto_toggled(value is None)
            if value is not None:
                self.spins[0].setValue(value)
            elif p.bounds()[0] is not None:
                lo, hi = p.bounds()
                self.spins[0].setValue(max(lo, min(hi if hi is not None else lo, self.spins[0].value())))
        elif p.kind == "pair":
            if self.auto is not None:
                self.auto.setChecked(value is None)
                self._auto_toggled(value is None)
            for spin, v in zip(self.spins, value if value is not None else (), strict=False):
                spin.setValue(v)
        elif p.kind == "bool":
            self.check.setChecked(bool(value))
        elif p.kind == "choice":
            i = self.combo.findData(value)
            if p.or_kind and i < 0:  # a year, a file, or nothing yet (a required value)
                self.combo.setCurrentIndex(-1)
                self.edit.setText("" if value is None else str(value))
            else:
                self.combo.setCurrentIndex(max(i, 0))
        elif p.kind == "keyvalues":
            self.edit.setText("; ".join(f"{k}={v:g}" for k, v in (value or {}).items()))
        elif p.kind == "floats":
            self.edit.setText(", ".join(f"{v:g}" for v in value) if value else "")
        else:
            self.edit.setText("" if value is None else str(value))

    def get(self) -> Any:
        p = self.p
        if p.kind in ("float", "int"):
            if self.auto is not None and self.auto.isChecked():
                return None
            return self.spins[0].value()
        if p.kind == "pair":
            if self.auto is not None and self.auto.isChecked():
                return None
            return tuple(s.value() for s in self.spins)
        if p.kind == "bool":
            return self.check.isChecked()
        if p.kind == "choice" and not p.or_kind:
            return self.combo.currentData()
        text = self.edit.text().strip()
        if p.kind == "choice":  # editable: an item's text is that choice, other text is the value
            i = self.combo.findText(text)
            return self.combo.itemData(i) if i >= 0 else (p.parse(text) if text else None)
        if not text:
            return None
        if p.kind in ("keyvalues", "floats"):
            return p.parse(text)
        return Path(text) if p.kind == "file" else text


def pick_file(edit: QLineEdit, title: str, filters: str) -> None:
    # no reference to a dialog in the connection: a cycle would outlive it (Qt warns at exit)
    path, _ = QFileDialog.getOpenFileName(edit.window(), title, edit.text(), filters or "")
    if path:
        edit.setText(path)


def file_picker(field: QWidget, edit: QLineEdit, title: str, filters: str, lang: str) -> QWidget:
    """``field`` (the line edit, or an editable combo holding it) with a Browse… button that puts
    the chosen file into ``edit``."""
    browse = QPushButton("浏览…" if lang == "zh" else "Browse…")
    browse.clicked.connect(lambda _=False: pick_file(edit, title, filters))
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(field, 1)
    row.addWidget(browse)
    return box


class ParamForm(QWidget):
    """The widgets of ``params`` in a scroll area: the basic ones first, the advanced ones folded.
    ``widgets`` by parameter name; :meth:`values` (checked) and :meth:`set_values`."""

    def __init__(self, params, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.params = list(params)
        self.widgets: dict[str, _ParamWidget] = {}
        basic = QGroupBox("参数" if lang == "zh" else "Parameters")
        basic_form = QFormLayout(basic)
        self.advanced = QGroupBox("高级参数" if lang == "zh" else "Advanced parameters")
        self.advanced.setCheckable(True)
        self.advanced.setChecked(False)
        adv_body = QWidget()
        adv_form = QFormLayout(adv_body)
        QVBoxLayout(self.advanced).addWidget(adv_body)
        self.advanced.toggled.connect(adv_body.setVisible)
        adv_body.setVisible(False)
        for p in self.params:
            w = _ParamWidget(p, lang)
            self.widgets[p.name] = w
            label = QLabel(p.label(lang))
            label.setToolTip(w.widget.toolTip())
            (adv_form if p.advanced else basic_form).addRow(label, w.widget)
        # the parameters scroll: a long declaration must not push the buttons off a laptop screen
        self.body = QWidget()
        body_lay = QVBoxLayout(self.body)
        body_lay.setContentsMargins(0, 0, 0, 0)
        body_lay.addWidget(basic)
        if any(p.advanced for p in self.params):
            body_lay.addWidget(self.advanced)
        body_lay.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.body)
        scroll.setMinimumHeight(min(240, self.body.sizeHint().height() + 8))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(scroll)

    def set_values(self, values) -> None:
        for name, w in self.widgets.items():
            w.set(values[name])

    def raw_values(self) -> dict[str, Any]:
        """The widgets' values, unchecked."""
        return {name: w.get() for name, w in self.widgets.items()}

    def values(self) -> ParamValues:
        """The checked values (InputError names a value out of range)."""
        return ParamValues.of(self.params, self.raw_values())
