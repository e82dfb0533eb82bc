from __future__ import annotations

import pytest

from gis.progress import Cancelled, Progress


def test_sub_progress_scales_into_parent_range():
    seen = []
    p = Progress(callback=lambda f, m: seen.append(round(f, 3)))
    child = p.sub(0.5, 1.0).sub(0.0, 0.5)
    child.report(0.0)
    child.report(1.0)
    assert seen == [0.5, 0.75]


def test_cancel_is_shared_and_raises_at_next_report():
    p = Progress()
    child = p.sub(0.2, 0.4)
    child.report(0.5)
    p.cancel()
    with pytest.raises(Cancelled):
        child.report(0.6)
    with pytest.raises(Cancelled):
        p.check()
