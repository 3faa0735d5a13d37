"""Vietnamese text: keys, legacy fonts, numbers."""

from __future__ import annotations

import unicodedata

import pytest

from sxsh_analysis.text import (
    NumberError,
    compact,
    decode_tcvn3,
    decode_vni,
    encode_cp1258,
    fold,
    legacy_candidates,
    parse_number,
)


def test_fold_ignores_form_tones_case_and_punctuation():
    forms = [
        "Thừa Thiên - Huế",
        unicodedata.normalize("NFD", "Thừa Thiên Huế"),
        "THUA THIEN HUE",
        "  thừa  thiên–huế ",
    ]
    assert {fold(f) for f in forms} == {"thua thien hue"}
    assert fold("Hoà Bình") == fold("Hòa Bình") == "hoa binh"
    assert compact("Bà Rịa - Vũng Tàu") == "bariavungtau"
    assert fold("Đồng Nai") == "dong nai"


def test_legacy_tables_decode_the_facts_examples():
    assert decode_tcvn3("Hµ Néi") == "Hà Nội"
    assert decode_vni("Haø Noäi") == "Hà Nội"
    assert decode_tcvn3("Kh«ng") == "Không"
    assert decode_tcvn3("Cã") == "Có"
    assert decode_tcvn3("§ång Nai") == "Đồng Nai"
    assert decode_vni("Ñoàng Nai") == "Đồng Nai"
    assert decode_tcvn3("H\xadng Yªn") == "Hưng Yên"  # ư is a soft hyphen in TCVN3


def test_legacy_candidates_only_for_non_ascii_and_never_pick():
    assert legacy_candidates("Ha Noi") == ()
    readings = legacy_candidates("Hµ Néi")
    assert ("TCVN3", "Hà Nội") in readings


def test_windows_1258_read_text_still_decodes():
    # TCVN3 bytes read as Windows-1258 (the Vietnamese code page) show other characters for some bytes
    raw = "Hµ Néi".encode("cp1252")
    as_1258 = raw.decode("cp1258")
    assert ("TCVN3", "Hà Nội") in legacy_candidates(as_1258)


def test_encode_cp1258_round_trips_through_the_codec():
    for text in ("Hà Nội", "Đồng Nai", "Thừa Thiên Huế", "Quảng Ngãi", "Bà Rịa - Vũng Tàu"):
        raw = encode_cp1258(text)
        assert unicodedata.normalize("NFC", raw.decode("cp1258")) == text


@pytest.mark.parametrize(
    "text,integer,value",
    [
        ("1.276.000.000", True, 1_276_000_000),
        ("90.000.000 đ", True, 90_000_000),
        ("587.000.000đ", True, 587_000_000),
        ("1.200", True, 1200),
        ("1,200", True, 1200),
        ("5,5", False, 5.5),
        ("7%", False, 7.0),
        ("5.5", False, 5.5),
        ("1.200", False, 1.2),
        ("1200.0", True, 1200),
        ("  42 ", True, 42),
        ("1 200", True, 1200),
        ("0", True, 0),
        ("-5", True, -5),
        ("12,75%", False, 12.75),
        ("1.234,5", False, 1234.5),
    ],
)
def test_parse_number(text, integer, value):
    got = parse_number(text, integer=integer)
    assert got == value and type(got) is (int if integer else float)


@pytest.mark.parametrize(
    "text,integer,why",
    [
        ("", True, "no number"),
        ("abc", True, "not a number"),
        ("5,5", True, "whole number"),
        ("15/03/2010", True, "date"),
        ("2010-03-15", True, "date"),
        ("1.2.3,4,5", False, "not a number"),
        ("12345678901234567890", True, "too many digits"),
        ("1e5", True, "not a number"),
        ("nan", False, "not a number"),
        ("inf", False, "not a number"),
        ("=1+1", True, "not a number"),
    ],
)
def test_parse_number_refuses(text, integer, why):
    with pytest.raises(NumberError, match=why):
        parse_number(text, integer=integer)
