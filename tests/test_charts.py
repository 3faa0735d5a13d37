"""Chart helpers that decide what a reader sees."""

from __future__ import annotations

from sxsh_analysis import charts


def test_long_tick_labels_are_wrapped_to_their_share_of_the_width():
    # six regions across 6.3 inches: about 10 characters a line, so neighbours no longer overlap
    assert charts._wrap("Bắc Trung Bộ và duyên hải miền Trung", 6.3 / 6) == (
        "Bắc Trung\nBộ và\nduyên hải\nmiền Trung"
    )
    assert charts._wrap("Tây Nguyên", 6.3 / 6) == "Tây Nguyên"
    # a break the caller put in is kept; a short label is left alone
    assert charts._wrap("Đạt ngưỡng\ntiết kiệm", 6.3 / 4) == "Đạt ngưỡng\ntiết kiệm"
    assert charts._wrap("Nhận thức", 6.3 / 4) == "Nhận thức"
