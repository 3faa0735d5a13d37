"""Vietnamese text as survey files carry it: Unicode forms, legacy 8-bit fonts, numbers.

Knows nothing about provinces: it turns text into comparable keys and numbers, or says why it cannot.

- Composed (NFC) and decomposed (NFD) forms: compare after NFC, or through :func:`fold`.
- Old and new tone-mark placement ("Hoà"/"Hòa"): :func:`fold` drops the marks, so both compare equal.
- TCVN3 (ABC, fonts .VnTime) and VNI-Windows: text typed in those fonts reaches Unicode files as
  Latin-1 look-alikes ("Hµ Néi", "Haø Noäi"). :func:`legacy_candidates` maps it back through the
  fixed character tables below.
- Numbers: "1.276.000.000" (dot for thousands), "5,5" (comma for decimals), "7%".
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache

# --- legacy fonts -------------------------------------------------------------------------------
# The 67 lower-case Vietnamese letters with a mark, in one fixed order; each legacy table below lists
# its code for the same letters in the same order (as the character Windows-1252 shows for the byte).
_VI_LOWER = "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
_TCVN3_LOWER = "µ¸¶·¹¨»¾¼½Æ©ÇÊÈÉË®ÌÐÎÏÑªÒÕÓÔÖ×ÝØÜÞßãáâä«åèæçé¬êíëìîïóñòô\xadõøö÷ùúýûüþ"
# TCVN3 has no upper-case letters with tone marks (a separate font draws them from the lower-case
# codes); the seven upper-case base letters have their own codes.
_TCVN3_UPPER = {"¡": "Ă", "¢": "Â", "£": "Ê", "¤": "Ô", "¥": "Ơ", "¦": "Ư", "§": "Đ"}

_VNI_LOWER = [
    "aø",
    "aù",
    "aû",
    "aõ",
    "aï",
    "aê",
    "aè",
    "aé",
    "aú",
    "aü",
    "aë",
    "aâ",
    "aà",
    "aá",
    "aå",
    "aã",
    "aä",
    "ñ",
    "eø",
    "eù",
    "eû",
    "eõ",
    "eï",
    "eâ",
    "eà",
    "eá",
    "eå",
    "eã",
    "eä",
    "ì",
    "í",
    "æ",
    "ó",
    "ò",
    "oø",
    "où",
    "oû",
    "oõ",
    "oï",
    "oâ",
    "oà",
    "oá",
    "oå",
    "oã",
    "oä",
    "ô",
    "ôø",
    "ôù",
    "ôû",
    "ôõ",
    "ôï",
    "uø",
    "uù",
    "uû",
    "uõ",
    "uï",
    "ö",
    "öø",
    "öù",
    "öû",
    "öõ",
    "öï",
    "yø",
    "yù",
    "yû",
    "yõ",
    "î",
]

assert len(_VI_LOWER) == len(_TCVN3_LOWER) == len(_VNI_LOWER) == 67


def _build_tables() -> tuple[dict[str, str], dict[str, str]]:
    tcvn3 = dict(zip(_TCVN3_LOWER, _VI_LOWER))
    tcvn3.update(_TCVN3_UPPER)
    vni: dict[str, str] = {}
    for code, letter in zip(_VNI_LOWER, _VI_LOWER):
        vni[code] = letter
        upper_code = code.upper()
        # "ì"/"í" stand for themselves; their upper forms are the same letters upper-cased.
        vni[upper_code] = letter.upper()
    return tcvn3, vni


TCVN3_TABLE, VNI_TABLE = _build_tables()
_VNI_KEYS = sorted(VNI_TABLE, key=len, reverse=True)
_VNI_RE = re.compile("|".join(re.escape(k) for k in _VNI_KEYS))


def _as_cp1252_chars(s: str) -> list[str]:
    """The string as the Windows-1252 characters of its bytes, for each 8-bit codec it may have been
    decoded with (a file read as Windows-1258 shows some bytes as other characters)."""
    out = []
    for codec in ("cp1252", "cp1258", "latin-1"):
        try:
            raw = s.encode(codec)
        except UnicodeEncodeError:
            continue
        chars = raw.decode("cp1252", errors="replace")
        if "\ufffd" in chars:
            chars = raw.decode("latin-1")
        if chars not in out:
            out.append(chars)
    return out


def decode_tcvn3(s: str) -> str:
    """Map TCVN3 look-alike characters to Vietnamese letters; other characters are kept."""
    return "".join(TCVN3_TABLE.get(ch, ch) for ch in s)


def decode_vni(s: str) -> str:
    """Map VNI-Windows look-alike sequences to Vietnamese letters; other characters are kept."""
    return _VNI_RE.sub(lambda m: VNI_TABLE[m.group(0)], s)


@lru_cache(maxsize=65536)
def legacy_candidates(s: str) -> tuple[tuple[str, str], ...]:
    """Readings of ``s`` as legacy-font text: ``(("TCVN3", text), ("VNI", text))``, only those that
    differ from ``s``. Returns an empty tuple for ASCII text. The caller
    decides which reading, if any, makes sense: this never picks one."""
    # pure ASCII has no legacy-font characters; anything else may (VNI uses ordinary accented
    # letters such as "ä" and "é"), so callers accept a reading only when it makes sense
    if not s or s.isascii():
        return ()
    seen = {s}
    out = []
    for chars in _as_cp1252_chars(unicodedata.normalize("NFC", s)) + _as_cp1252_chars(
        unicodedata.normalize("NFD", s)
    ):
        for name, fn in (("TCVN3", decode_tcvn3), ("VNI", decode_vni)):
            text = unicodedata.normalize("NFC", fn(chars))
            if text not in seen:
                seen.add(text)
                out.append((name, text))
    return tuple(out)


def encode_cp1258(s: str) -> bytes:
    """``s`` in Windows-1258 as Vietnamese Windows writes it: precomposed letters where the code page
    has them, a base letter plus a combining tone mark where it does not ("ộ" is "ô" + dot below).
    Python's cp1258 codec does not decompose, so it refuses most toned letters. Refuses
    (UnicodeEncodeError) characters the code page cannot show at all."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", s):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        d = unicodedata.normalize("NFD", ch)
        base, marks = d[:1], d[1:]
        # compose the base with one mark the code page has precomposed ("ô"), combine the rest
        tries = [
            (unicodedata.normalize("NFC", base + m), marks[:i] + marks[i + 1 :])
            for i, m in enumerate(marks)
        ]
        for head, rest in tries + [(base, marks)]:
            try:
                out += head.encode("cp1258") + rest.encode("cp1258")
                break
            except UnicodeEncodeError:
                continue
        else:
            raise UnicodeEncodeError("cp1258", ch, 0, 1, "not in Windows-1258")
    return bytes(out)


# --- keys for comparison ------------------------------------------------------------------------
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


@lru_cache(maxsize=262144)
def fold(s: str) -> str:
    """A comparison key: NFC, marks and tones dropped (đ to d), lower case, every run of other
    characters as one space. "Thừa Thiên - Huế", "THUA THIEN HUE" and "Thừa  Thiên–Huế" all give
    "thua thien hue"."""
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = s.replace("đ", "d").replace("Đ", "D").casefold()
    return _NON_ALNUM.sub(" ", s).strip()


def compact(s: str) -> str:
    """:func:`fold` without spaces: "Bà Rịa-Vũng Tàu" and "BaRia VungTau" give "bariavungtau"."""
    return fold(s).replace(" ", "")


# --- numbers ------------------------------------------------------------------------------------
_UNITS = re.compile(r"(?i)\s*(%|vnđ|vnd|đồng|dong|đ|d)\s*$")
_VN_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")
_EN_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_COMMA_DECIMAL = re.compile(r"^[+-]?\d*,\d+$")
_PLAIN = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)$")
_SPACES = re.compile(r"[\s\u00a0\u202f']+")


class NumberError(ValueError):
    """Text that is not a number of the kind asked for; the message says why."""


@lru_cache(maxsize=262144)
def parse_number(text: str, integer: bool = False) -> float | int:
    """Parse a number as Vietnamese survey files write it.

    Returns an int when ``integer`` is true, else a float. Accepts "1.276.000.000" (dot for thousands),
    "5,5" (comma for decimals), "7%", "90.000.000 đ", spaces between digit groups, and Excel's plain
    "5.5" or "1200.0". In an integer column "1,200" (three digits after one comma) reads as 1200; in a
    decimal column it reads as 1.2, the Vietnamese decimal comma.

    Refuses (NumberError) empty text, text with letters, a date, more than one decimal mark, a number
    with 16 or more significant digits (it cannot be stored exactly), and, when ``integer``, a value
    with a fractional part.
    """
    s = _UNITS.sub("", text.strip())
    s = _SPACES.sub("", s)
    if not s:
        raise NumberError("no number")
    if re.fullmatch(r"\d{1,4}[-/]\d{1,2}[-/]\d{1,4}([ T].*)?", s):
        raise NumberError("a date, not a number")
    if _VN_THOUSANDS.match(s) and not (not integer and s.count(".") == 1 and "," not in s):
        s = s.replace(".", "").replace(",", ".")
    elif integer and _EN_THOUSANDS.match(s):
        s = s.replace(",", "")
    elif _COMMA_DECIMAL.match(s):
        s = s.replace(",", ".")
    elif not _PLAIN.match(s):
        raise NumberError("not a number")
    digits = s.lstrip("+-").replace(".", "").lstrip("0")
    if len(digits.rstrip("0") if "." in s else digits) >= 16:
        raise NumberError("too many digits to be a count or an amount")
    value = float(s)
    if not math.isfinite(value):
        raise NumberError("not a number")
    if integer:
        if value != int(value):
            raise NumberError("not a whole number")
        return int(value)
    return value
