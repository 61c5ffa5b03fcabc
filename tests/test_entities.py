"""Tests for the entities, enums, dates and periods."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import doanmodel as dm
from doanmodel.model._i18n import fold, nfc
from strategies import ENTITIES, periods


class TestEnums:
    @pytest.mark.parametrize("enum", [dm.Level, dm.Sector, dm.Role, dm.VisitPurpose,
                                      dm.MeetingKind, dm.AbsenceReason, dm.PeriodKind])
    def test_every_value_has_both_labels(self, enum):
        """Each enum value carries a non-empty Vietnamese and English label."""
        for member in enum:
            assert member.label.vi and member.label.en
            assert member.label.get("en") == member.label.en

    def test_levels_descend(self):
        """Level depth grows from central to sub-branch."""
        depths = [lv.depth for lv in dm.Level]
        assert depths == sorted(depths) and dm.Level.CENTRAL.depth == 0

    def test_contract_values(self):
        """The enum values are exactly the strings of the contract."""
        assert [lv.value for lv in dm.Level] == [
            "central", "province", "upper_grassroots", "grassroots", "branch_group", "branch",
            "sub_branch"]
        assert "attend_branch_meeting" in {p.value for p in dm.VisitPurpose}


class TestDates:
    @pytest.mark.parametrize(("text", "expected"), [
        ("2019-03-26", dt.date(2019, 3, 26)), ("26/03/2019", dt.date(2019, 3, 26)),
        ("1/7/2025", dt.date(2025, 7, 1)), (" 2025-07-01 ", dt.date(2025, 7, 1))])
    def test_parse_date(self, text, expected):
        """ISO and DD/MM/YYYY dates parse."""
        assert dm.parse_date(text) == expected

    @pytest.mark.parametrize("text", ["2019-02-30", "31/02/2019", "2019/03/26", "hôm qua", ""])
    def test_bad_date(self, text):
        """Impossible or foreign date forms are refused."""
        with pytest.raises(ValueError, match="date"):
            dm.parse_date(text)

    @pytest.mark.parametrize(("text", "start", "end"), [
        ("2023", dt.date(2023, 1, 1), dt.date(2023, 12, 31)),
        ("2023-H2", dt.date(2023, 7, 1), dt.date(2023, 12, 31)),
        ("2023-Q1", dt.date(2023, 1, 1), dt.date(2023, 3, 31)),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29))])
    def test_periods(self, text, start, end):
        """Periods parse to their first and last days and print back the same."""
        p = dm.parse_period(text)
        assert (p.start, p.end, str(p)) == (start, end, text)

    @pytest.mark.parametrize("text", ["2023-Q5", "2023-13", "2023-H3", "23", "2023Q1"])
    def test_bad_period(self, text):
        """Malformed periods are refused."""
        with pytest.raises(ValueError, match="period"):
            dm.parse_period(text)

    @given(periods)
    def test_period_round_trip(self, period):
        """Every period prints to text that parses back to it."""
        assert dm.parse_period(str(period)) == period

    @pytest.mark.parametrize(("text", "ok"), [
        ("2022 – 2027", True), ("2022-2027", True), ("2027 – 20232", False),
        ("2027 – 2022", False), ("nhiệm kỳ", False)])
    def test_terms(self, text, ok):
        """Terms of office are two four-digit years, the end after the start."""
        if ok:
            assert dm.parse_term(text) == (2022, 2027)
        else:
            with pytest.raises(ValueError):
                dm.parse_term(text)


class TestUnit:
    def test_versions_by_date(self):
        """A unit answers which version is in force on a date."""
        before = dm.UnitVersion(id="X", name="Đoàn xã X", level=dm.Level.GRASSROOTS,
                                parent_id="H", valid_to=dt.date(2025, 6, 30))
        after = dm.UnitVersion(id="X", name="Đoàn xã X", level=dm.Level.GRASSROOTS,
                               parent_id="T", valid_from=dt.date(2025, 7, 1))
        unit = dm.Unit(id="X", versions=(before, after))
        assert unit.at(dt.date(2025, 6, 30)).parent_id == "H"
        assert unit.at(dt.date(2025, 7, 1)).parent_id == "T"
        assert unit.latest is after

    def test_member_active(self):
        """A member is active from joining until the day before leaving."""
        m = dm.Member(id="1", branch_id="C", joined_on=dt.date(2020, 1, 1),
                      left_on=dt.date(2024, 1, 1))
        assert m.active_on(dt.date(2023, 12, 31)) and not m.active_on(dt.date(2024, 1, 1))


class TestText:
    def test_nfc(self):
        """NFD text (as some Vietnamese keyboards type it) becomes NFC."""
        nfd = "Tra\u0300 Vinh"
        assert nfc(nfd) == "Trà Vinh"

    def test_fold_for_search(self):
        """Folding drops accents and đ for accent-insensitive search."""
        assert fold("Đoàn Thanh Niên") == fold("doan thanh nien")

    def test_old_names_warn(self):
        """dm.fold and dm.nfc still work for one release, with a DeprecationWarning."""
        with pytest.warns(DeprecationWarning, match="doanmodel.nfc is deprecated"):
            assert dm.nfc("Tra\u0300 Vinh") == "Trà Vinh"
        with pytest.warns(DeprecationWarning, match="doanmodel.fold is deprecated"):
            assert dm.fold("Đoàn") == "doan"


@pytest.mark.parametrize("cls", list(ENTITIES), ids=lambda c: c.__name__)
@given(data=st.data())
def test_json_round_trip(cls, data):
    """Every entity unstructures to JSON-ready data and structures back equal."""
    import json

    obj = data.draw(ENTITIES[cls])
    dumped = json.loads(json.dumps(dm.converter.unstructure(obj)))
    assert dm.converter.structure(dumped, cls) == obj


@given(st.builds(lambda: None))
@example(None)
def test_enum_labels_are_nfc(_):
    """Every label is already NFC (so comparisons with loaded text work)."""
    for enum in (dm.Level, dm.Role, dm.Sector, dm.VisitPurpose, dm.MeetingKind):
        for m in enum:
            assert nfc(m.label.vi) == m.label.vi
