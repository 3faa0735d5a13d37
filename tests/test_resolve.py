"""The province and sector resolvers: every variant class of facts section 8, for all 63 provinces,
and the near-misses that must be refused."""

from __future__ import annotations

import unicodedata

import pytest

from sxsh_analysis import reference, resolve, sample
from sxsh_analysis.sample import _ascii, _encode_tcvn3, _encode_vni, _old_tone

PROVINCES = reference.provinces()
CODES = list(PROVINCES["code"])
R = resolve.provinces()


def _variants(row) -> dict[str, str]:
    short, official = row.name_short, row.name_official
    prefix = "TP. " if official.startswith("Thành phố") else "Tỉnh "
    return {
        "nfc": unicodedata.normalize("NFC", short),
        "nfd": unicodedata.normalize("NFD", short),
        "nfd_official": unicodedata.normalize("NFD", official),
        "old_tone": _old_tone(short),
        "no_diacritics": _ascii(short),
        "no_diacritics_official": _ascii(official),
        "upper": short.upper(),
        "lower": short.lower(),
        "stray_spaces": "  " + "   ".join(short.split()) + " ",
        "official": official,
        "prefix": prefix + short,
        "tp_dot": "TP." + short,
        "thanh_pho": ("Thành phố " if official.startswith("Thành phố") else "Tỉnh ") + short,
        "dash_spaces": short.replace(" - ", "-"),
        "tcvn3": _encode_tcvn3(short),
        "tcvn3_official": _encode_tcvn3(official),
        "vni": _encode_vni(short),
        "vni_official": _encode_vni(official),
        "code_str": row.code,
        "code_unpadded": str(int(row.code)),
        "code_float": f"{int(row.code)}.0",
        "english": row.name_en,
    }


@pytest.mark.parametrize("code", CODES)
def test_every_variant_class_resolves_for_every_province(code):
    row = next(PROVINCES[PROVINCES.code == code].itertuples(index=False))
    for kind, text in _variants(row).items():
        r = R.resolve(text)
        assert r.code == code, f"{kind}: {text!r} -> {r}"
    assert R.resolve(int(code)).code == code  # a number, as Excel gives it


def test_legacy_encodings_of_the_facts_file_examples():
    assert R.resolve("Hµ Néi").code == "01"  # TCVN3
    assert R.resolve("Hµ Néi").how == "TCVN3"
    assert R.resolve("Haø Noäi").code == "01"  # VNI
    assert R.resolve("Haø Noäi").how == "VNI"


@pytest.mark.parametrize(
    "text,code",
    [
        ("Tp HCM", "79"),
        ("TP.HCM", "79"),
        ("Ho Chi Minh City", "79"),
        ("T.P Hồ Chí Minh", "79"),
        ("Thành phố Hồ Chí Minh", "79"),
        ("Thừa Thiên - Huế", "46"),
        ("Thành phố Huế", "46"),
        ("Bà Rịa – Vũng Tàu", "77"),
        ("Bà Rịa-Vũng Tàu", "77"),
        ("Đăk Lăk", "66"),
        ("Đắc Lắc", "66"),
        ("Dong Nai", "75"),
        ("Hoà Bình", "17"),
        ("Khánh Hoà", "56"),
        ("Thanh Hoá", "38"),
        ("Quang Nam", "49"),
        ("HÀ NỘI", "01"),
        ("Can Tho City", "92"),
        ("Tỉnh Đồng Nai", "75"),
    ],
)
def test_spellings_from_the_facts_file(text, code):
    assert R.resolve(text).code == code


@pytest.mark.parametrize(
    "text,problem,suggested",
    [
        ("Quảng", "ambiguous", {"22", "44", "45", "49", "51"}),
        ("Quang", "ambiguous", {"22", "44", "45", "49", "51"}),
        ("Hà", "ambiguous", {"01", "02", "35", "42"}),
        ("Bình", "ambiguous", {"52", "60", "70", "74"}),
        ("Hà Tây", "unknown", set()),  # merged into Hà Nội in 2008: refused, not guessed
        ("Quang Nm", "unknown", {"49"}),
        ("Dong Nia", "unknown", {"75"}),
        ("Sài Gòn Mới", "unknown", set()),
        ("03", "no province has this code", set()),
        ("99", "no province has this code", set()),
        ("", "no province given", set()),
        ("---", "no province name", set()),
        ('=HYPERLINK("x")', "unknown", set()),
    ],
)
def test_near_misses_are_refused_with_candidates(text, problem, suggested):
    r = R.resolve(text)
    assert r.code is None
    assert problem in r.problem
    assert suggested <= set(r.suggestions)
    msg = R.explain(r)
    assert text.strip() in msg or not text.strip()
    for c in suggested:
        assert f"({c})" in msg


def test_no_two_provinces_share_a_spelling():
    resolve.ProvinceResolver()  # raises if the reference files give one spelling two codes


def test_province_code_raises_with_the_explanation():
    assert resolve.province_code("Tp HCM") == "79"
    with pytest.raises(ValueError, match="closest: Quảng Nam"):
        resolve.province_code("Quang Nm")


S = resolve.sectors()


@pytest.mark.parametrize("code", list(reference.sectors()["code"]))
def test_every_sector_resolves_by_name_variant_and_vsic(code):
    row = reference.sectors().set_index("code").loc[code]
    for text in (
        row.name_vi,
        row.name_en,
        code,
        _ascii(row.name_vi),
        row.name_vi.upper(),
        unicodedata.normalize("NFD", row.name_vi),
        _old_tone(row.name_vi),
        row.name_vi.replace(" - ", "-"),
        _encode_tcvn3(row.name_vi),
        _encode_vni(row.name_vi),
    ):
        assert S.resolve(text).code == code, text
    for vsic in sample.VSIC_EXAMPLES[code]:
        assert S.resolve(vsic).code == code, vsic


@pytest.mark.parametrize(
    "text,code",
    [
        ("Thuỷ sản", "seafood"),
        ("xi măng-gạch-gốm", "cement"),
        ("1020", "seafood"),
        ("102", "seafood"),
        ("2392", "cement"),
        ("5", "mining"),
        ("13", "textile"),
        ("1410", "textile"),
        ("31", "wood"),
    ],
)
def test_sector_spellings(text, code):
    assert S.resolve(text).code == code


@pytest.mark.parametrize(
    "text,problem",
    [
        ("10", "several sector groups"),
        ("23", "several sector groups"),
        ("239", "several sector groups"),
        ("01", "outside the surveyed industries"),
        ("45", "outside the surveyed industries"),
        ("12345", "2 to 4 digits"),
        ("Dịch vụ", "unknown"),
        ("Chế biến", "ambiguous"),
        ("Thực", "unknown"),
    ],
)
def test_sector_refusals(text, problem):
    r = S.resolve(text)
    assert r.code is None and problem in r.problem


@pytest.mark.parametrize("text", ["+1+1", "1+1", "=1", "-79", "TP. 79", "@01"])
def test_digits_mixed_with_signs_are_not_a_code(text):
    """Folding drops signs, so "+1+1" once read as code 11 (Điện Biên): a formula or a sum is not a
    province. Codes are accepted only as written digits ("1", "01", "1.0")."""
    r = R.resolve(text)
    assert r.code is None
    assert r.problem == "not a province code: write the code in digits only"
