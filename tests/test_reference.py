"""Tests for the shipped reference list of provinces, cross-checked against `vietnam-provinces`."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import unicodedata

import pytest
import vietnam_provinces as vp
from hypothesis import example, given
from hypothesis import strategies as st

import doanmodel as dm
from doanmodel.model._i18n import fold

D = dt.date
AFTER = D(2025, 7, 1)
REFS = dm.reference_provinces()
NEW = [p for p in REFS if p.valid_to is None]
OLD = [p for p in REFS if p.valid_from is None]
BY_CODE = {p.code: p for p in REFS}


def _package() -> dict[str, vp.Province]:
    return {f"{int(p.code):02d}": p for p in vp.Province.iter_all()}


class TestAgainstVietnamProvinces:
    def test_codes_of_the_34(self):
        """The 34 provinces of 1/7/2025 carry exactly the package's 34 GSO codes."""
        assert sorted(p.gso for p in NEW) == sorted(_package())

    def test_names_and_kinds_of_the_34(self):
        """Each of the 34 has the package's name (without "Thành phố") and kind."""
        pkg = _package()
        for p in NEW:
            theirs = pkg[p.gso]
            assert p.name == theirs.name.removeprefix("Thành phố "), p.code
            city = theirs.division_type is vp.VietNamDivisionType.THANH_PHO_TRUNG_UONG
            assert (p.kind_on(AFTER) == "city") is city, p.code
            assert p.full_name(AFTER) in (theirs.name, f"Tỉnh {theirs.name}")

    @pytest.mark.parametrize(("name", "gso"), [
        ("Lào Cai", "15"), ("Bắc Ninh", "24"), ("Quảng Trị", "44"), ("Gia Lai", "52"),
        ("Tây Ninh", "80"), ("Đồng Tháp", "82"), ("An Giang", "91")])
    def test_code_of_the_province_whose_name_did_not_survive(self, name, gso):
        """Seven new provinces take the code of the partner whose name was dropped."""
        new = dm.find_province(name, AFTER)
        assert new.gso == gso == _package()[gso].code.value.__format__("02d")
        partners = [p for p in OLD if p.successor == new.code]
        (donor,) = [p for p in partners if p.gso == gso]
        assert donor.name != name

    def test_compositions_follow_the_ward_codes(self):
        """
        Wards kept the GSO codes of the communes they came from, and commune codes run in
        the order of the old provinces: sorting the package's wards by code, the runs of their
        new province must be the successors of the 63 old provinces in GSO order.
        """
        wards = sorted((w["code"], f"{p['code']:02d}") for p in
                       json.loads(vp.NESTED_DIVISIONS_JSON_PATH.read_text(encoding="utf-8"))
                       for w in p["wards"])
        # runs under 10 wards are communes moved across a border, not whole provinces
        runs = [k for k, g in itertools.groupby(wards, key=lambda w: w[1]) if len(list(g)) >= 10]
        seen = [k for k, _ in itertools.groupby(runs)]
        new_gso = {p.code: p.gso for p in NEW}
        # Hà Tây (GSO 28) joined Hà Nội on 1/8/2008; its communes kept their codes
        old = sorted([(p.gso, new_gso[p.successor or p.code]) for p in OLD] + [("28", "01")])
        expected = [k for k, _ in itertools.groupby(v for _, v in old)]
        assert seen == expected

    def test_each_new_province_takes_a_partners_name_and_code(self):
        """Every new province's name and GSO code are those of one of the provinces in it."""
        for p in NEW:
            partners = [o for o in OLD if (o.successor or o.code) == p.code]
            assert p.name in {o.name for o in partners}, p.code
            assert p.gso in {o.gso for o in partners}, p.code

    def test_composition_matches_the_cited_resolution(self):
        """The old provinces listed in each new one's source are exactly its partners."""
        for p in NEW:
            if p.valid_from is None:
                continue
            cited = p.source.split(": ", 1)[1].split(" + ")
            assert sorted(cited) == sorted(o.name for o in OLD if o.successor == p.code)


class TestList:
    def test_63_and_34(self):
        """63 GSO codes before 1/7/2025, 34 after, each unique on its side."""
        assert len({p.gso for p in OLD}) == 63 and len({p.gso for p in NEW}) == 34
        assert all(p.gso and re.fullmatch(r"\d\d", p.gso) for p in REFS)

    def test_hue_renamed_on_1_1_2025(self):
        """Code 46 is the province of Thừa Thiên Huế until 2024 and the city of Huế after."""
        hue = dm.find_province("46")
        assert (hue.name_on(D(2024, 12, 31)), hue.kind_on(D(2024, 12, 31))) == \
            ("Thừa Thiên Huế", "province")
        assert (hue.name_on(D(2025, 1, 1)), hue.kind_on(D(2025, 1, 1))) == ("Huế", "city")
        assert hue.union_name(D(2024, 6, 1)) == "Tỉnh đoàn Thừa Thiên Huế"
        assert hue.union_name(D(2025, 6, 1)) == "Thành đoàn Huế"
        assert "175/2024/QH15" in hue.names[0].source
        assert dm.find_province("Thừa Thiên Huế", D(2025, 8, 1)) is hue

    def test_one_spelling_convention(self):
        """Names are NFC, without "Tỉnh"/"Thành phố"/"TP.", " - " not a dash, tone on "ò" in
        "oa"."""
        names = [p.name for p in REFS] + [n.name for p in REFS for n in p.names]
        for name in names:
            assert unicodedata.normalize("NFC", name) == name
            assert not re.match(r"(Tỉnh|Thành phố|TP\.?) ", name), name
            assert "–" not in name and "—" not in name, name
            # "Hòa", not "Hoà": in an open syllable the tone sits on the first vowel
            assert not re.search(r"(o[àáảãạ]|u[ỳýỷỹỵ])(?!\w)", name), name
        assert BY_CODE["BRVT"].name == "Bà Rịa - Vũng Tàu"

    def test_reorganisation_names_the_union_body(self):
        """A new city created by apply_2025 is a Thành đoàn; a new province a Tỉnh đoàn."""
        tw = dm.Unit(id="TW", versions=(dm.UnitVersion(id="TW", name="TW",
                                                        level=dm.Level.CENTRAL),))
        units = [tw] + [dm.Unit(id=c, versions=(dm.UnitVersion(
            id=c, name=c, level=dm.Level.PROVINCE, parent_id="TW", code=c),)) for c in ("CT", "TV")]
        out = {u.id: u for u in dm.reorganise_2025(units)}
        assert out["CT-2025"].latest.name == "Thành đoàn Cần Thơ"
        assert out["VL-2025"].latest.name == "Tỉnh đoàn Vĩnh Long"


def _respell(draw: st.DrawFn, name: str) -> str:
    """A way a person might type *name*: accents dropped, case changed, dashes, spaces."""
    text = name
    if draw(st.booleans()):
        text = fold(text)
    if draw(st.booleans()):
        text = text.upper()
    text = text.replace(" - ", draw(st.sampled_from([" - ", "–", " — ", "-", " "])))
    if draw(st.booleans()):
        text = unicodedata.normalize("NFD", text)
    prefix = draw(st.sampled_from(["", "Tỉnh ", "tinh ", "Thành phố ", "TP. ", "tp "]))
    return prefix + text


@st.composite
def _spellings(draw: st.DrawFn) -> tuple[dm.ProvinceRef, str]:
    ref = draw(st.sampled_from(REFS))
    return ref, _respell(draw, ref.name)


class TestLookup:
    @given(_spellings())
    @example((BY_CODE["BRVT"], "Bà Rịa–Vũng Tàu"))
    @example((BY_CODE["HCM"], "TP. Hồ Chí Minh"))
    @example((BY_CODE["HB"], "Hoà Bình"))
    def test_any_spelling_finds_the_province(self, case):
        """Case, accents, dashes, spaces, NFD and a "Tỉnh/TP." prefix don't change the match."""
        ref, typed = case
        assert ref in dm.lookup_provinces(typed)

    def test_dated(self):
        """A name or code shared before and after 1/7/2025 resolves by date."""
        assert dm.find_province("Quảng Trị", D(2025, 6, 30)).gso == "45"
        assert dm.find_province("quang tri", AFTER).gso == "44"
        assert dm.find_province("44", D(2024, 1, 1)).name == "Quảng Bình"
        assert dm.find_province("44", AFTER).code == "QT-2025"

    def test_unknown_or_not_on_that_date(self):
        """A province that doesn't exist (then) is an UnknownProvinceError naming it."""
        with pytest.raises(dm.UnknownProvinceError, match="'Atlantis'"):
            dm.find_province("Atlantis")
        with pytest.raises(dm.UnknownProvinceError) as info:
            dm.find_province("Quảng Bình", AFTER)
        assert "QB" in info.value.message.en and "2025-07-01" in info.value.message.vi
        assert isinstance(info.value, LookupError)
