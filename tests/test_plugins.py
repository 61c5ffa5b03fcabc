"""Tests for the plugin machinery: hooks, validation, scope, precedence, isolation."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import doanmodel as dm
from doanmodel.cli._cli import main
from doanmodel.testing import TINY_CRITERIA, check_conformance, plugin_engine, tiny_dataset
from fakeplugins.fake import make

MIN30 = [{"name": "visits.min_days", "from": "2018-01-01", "value": 30, "source": "KH thử"}]


def _threshold(engine, ds, cadre, year=2024):
    return engine.check(ds, year, rules=["visits.quota"]).finding("visits.quota", cadre).threshold


class TestLoading:
    def test_builtin_is_a_plugin(self):
        """The national rules, parameters, indicators, methods and sets come through the hooks."""
        national = plugin_engine().plugins[0]
        assert national.name == "national" and national.builtin
        assert set(national.contributes) == {"parameters", "rules", "indicators",
                                             "scoring_methods", "criteria_sets",
                                             "programme_kinds"}

    def test_broken_plugin_is_reported_others_work(self):
        """A plugin whose hook raises is reported by name; the others keep working."""
        def boom():
            raise RuntimeError("hỏng")

        bad = make("broken", extra_hooks={"doanmodel_rules": boom})
        good = make("good", params=MIN30, overrides=["visits.min_days"])
        engine = plugin_engine(bad, good)
        assert "hỏng" in engine.failed["broken"]
        assert _threshold(engine, tiny_dataset(), "P1-CB1") == 30

    def test_unknown_hook_name(self):
        """A function marked as a hook with an unknown name is refused (check_pending)."""
        bad = make("typo", extra_hooks={"doanmodel_rulez": lambda: []})  # noqa: PIE807
        assert "doanmodel_rulez" in plugin_engine(bad).failed["typo"]

    def test_api_mismatch(self):
        """A plugin for another plugin API version is refused with a clear message."""
        engine = plugin_engine(make("future", api=2))
        assert "API 2" in engine.failed["future"]

    @pytest.mark.parametrize(("kwargs", "needle"), [
        ({"params": [{"name": "x.y", "from": "2020-01-01", "value": 1}]}, "no source"),
        ({"params": [{"name": "x.y", "value": 1, "source": "s"}]}, "bad entry"),
        ({"params": "not a list"}, "must return a list"),
        ({"rules": ["not a rule"]}, "is not a Rule"),
        ({"methods": [object()]}, "is not a ScoringMethod"),
        ({"criteria": [{"id": "x"}]}, "criteria"),
        ({"rules": [dm.Rule(id="", title=dm.Text("t", "t"), source="s", evaluate=list)]},
         "rule id ''"),
        ({"rules": [dm.Rule(id="x.y", title=dm.Text("t", ""), source="s", evaluate=list)]},
         "Vietnamese and English"),
        ({"rules": [dm.Rule(id="x.y", title=dm.Text("t", "t"), source="s", evaluate=list,
                            valid_from="2020-01-01")]}, "is not a date"),
        ({"params": [{"name": "bad name", "from": "2020-01-01", "value": 1, "source": "s"}]},
         "parameter id"),
    ])
    def test_contract_validation(self, kwargs, needle):
        """What a hook returns is checked, with an error naming the plugin."""
        engine = plugin_engine(make("sai", **kwargs))
        assert needle in engine.failed["sai"]

    def test_undeclared_override(self):
        """Replacing a national parameter without saying so is refused."""
        engine = plugin_engine(make("lén", params=MIN30))
        assert "without declaring" in engine.failed["lén"]

    def test_builtin_method_cannot_be_replaced(self):
        """A plugin may not redefine a built-in scoring method."""
        m = dm.ScoringMethod(name="ratio", score=lambda c, i: {})
        assert "built-in method" in plugin_engine(make("m", methods=[m])).failed["m"]

    def test_conflicting_overrides_name_both(self):
        """Two plugins overriding the same thing for the same units and dates is an error
        naming both."""
        a = make("a", params=MIN30, overrides=["visits.min_days"])
        b = make("b", params=MIN30, overrides=["visits.min_days"])
        engine = plugin_engine(a, b)
        assert "'a' and 'b'" in engine.failed["a"] and engine.failed["a"] == engine.failed["b"]

    def test_same_override_disjoint_scopes_is_fine(self):
        """The same override for different provinces does not conflict."""
        a = make("a", provinces=["P1"], params=MIN30, overrides=["visits.min_days"])
        b = make("b", provinces=["P2"], params=MIN30, overrides=["visits.min_days"])
        assert plugin_engine(a, b).failed == {}

    def test_dataset_needs_missing_plugin(self):
        """Checking a dataset that names a plugin that is not loaded is a PluginError."""
        ds = tiny_dataset()
        ds = dm.Dataset.build(dm.DatasetMeta(name="x", root="TW", year=2024,
                                             plugins=("travinh",)), ds.units.values())
        with pytest.raises(dm.PluginError, match="travinh"):
            plugin_engine().check(ds)

    def test_validate_hook(self):
        """doanmodel_validate adds problems that `validate` reports."""
        def no_visits(dataset):
            if not dataset.visits:
                return [dm.Problem("visits.csv", 0, "-", dm.Text("cần đi cơ sở", "needs visits"))]
            return []

        engine = plugin_engine(make("v", validate=no_visits))
        ds = dm.Dataset.build(dm.DatasetMeta(name="x", root="P", year=2024),
                              [dm.Unit(id="P", versions=(dm.UnitVersion(
                                  id="P", name="P", level=dm.Level.PROVINCE),))])
        assert [p.message.en for p in engine.validate(ds)] == ["needs visits"]


class TestScope:
    def test_parameter_only_in_its_province(self):
        """A province's override changes only its own cadres' thresholds."""
        engine = plugin_engine(make("p1", params=MIN30, overrides=["visits.min_days"]))
        ds = tiny_dataset()
        assert (_threshold(engine, ds, "P1-CB1"), _threshold(engine, ds, "P2-CB1")) == (30, 60)

    def test_parameter_only_on_its_dates(self):
        """After its end date the plugin's value no longer applies."""
        engine = plugin_engine(make("p1", params=MIN30, overrides=["visits.min_days"],
                                    end="2025-06-30"))
        assert _threshold(engine, tiny_dataset(year=2024), "P1-CB1", 2024) == 30
        assert _threshold(engine, tiny_dataset(year=2026), "P1-CB1", 2026) == 60

    def test_codes_or_ids(self):
        """A plugin may name a province by its unit id or by its code."""
        ds = tiny_dataset(("X1",))
        meta = ds.meta
        units = [u if u.id != "X1" else dm.Unit(id="X1", versions=(dm.UnitVersion(
            id="X1", name="X1", level=dm.Level.PROVINCE, parent_id="TW", code="CODE"),))
            for u in ds.units.values()]
        ds2 = dm.Dataset.build(meta, units, cadres=ds.cadres.values(), positions=ds.positions)
        for name in ("X1", "CODE"):
            engine = plugin_engine(make("p", provinces=[name], params=MIN30,
                                        overrides=["visits.min_days"]))
            assert _threshold(engine, ds2, "X1-CB1") == 30

    def test_dataset_parameter_wins(self):
        """A dataset's own [parameters] win over a plugin's, which win over the national."""
        engine = plugin_engine(make("p1", params=MIN30, overrides=["visits.min_days"]))
        ds = tiny_dataset()
        meta = dm.DatasetMeta(name="x", root="TW", year=2024, parameters={
            "visits.min_days": [{"from": dt.date(2018, 1, 1), "value": 45, "source": "KH"}]})
        ds = dm.Dataset.build(meta, ds.units.values(), cadres=ds.cadres.values(),
                              positions=ds.positions)
        assert (_threshold(engine, ds, "P1-CB1"), _threshold(engine, ds, "P2-CB1")) == (45, 45)

    def test_rule_findings_outside_scope_dropped(self):
        """A plugin rule's findings about another province are dropped."""
        def everyone(ctx):
            for uid, unit in ctx.dataset.units.items():
                if unit.level is dm.Level.PROVINCE:
                    yield dm.Finding(rule="x.all", subject_type="unit", subject_id=uid,
                                     status=dm.Status.PASS, value=1, threshold=1,
                                     message=dm.Text("a", "a"), source="s", province=uid)

        rule = dm.Rule(id="x.all", title=dm.Text("t", "t"), source="s", evaluate=everyone)
        r = plugin_engine(make("p1", rules=[rule])).check(tiny_dataset())
        assert [f.subject_id for f in r.by_rule("x.all")] == ["P1"]

    def test_replacing_a_national_rule(self):
        """A declared replacement of a national rule owns its province; elsewhere the national
        rule still runs."""
        def strict(ctx):
            yield dm.Finding(rule="visits.quota", subject_type="unit", subject_id="P1",
                             status=dm.Status.FAIL, value=0, threshold=99,
                             message=dm.Text("x", "x"), source="s", province="P1")

        rule = dm.Rule(id="visits.quota", title=dm.Text("t", "t"), source="s", evaluate=strict)
        engine = plugin_engine(make("p1", rules=[rule], overrides=["visits.quota"]))
        findings = engine.check(tiny_dataset(), rules=["visits.quota"]).findings
        assert {f.province for f in findings if f.origin == "p1"} == {"P1"}
        assert {f.province for f in findings if f.origin == "national"} == {"P2"}

    def test_report_names_the_plugin(self):
        """Findings say which plugin contributed their rule."""
        rule = dm.Rule(id="x.one", title=dm.Text("t", "t"), source="s", evaluate=lambda ctx: [
            dm.Finding(rule="x.one", subject_type="unit", subject_id="P1", status=dm.Status.PASS,
                       value=1, threshold=1, message=dm.Text("a", "a"), source="s",
                       province="P1")])
        r = plugin_engine(make("p1", rules=[rule])).check(tiny_dataset())
        assert r.by_rule("x.one")[0].origin == "p1"
        assert {"name": "p1", "version": "0.1"} in r.provenance["plugins"]


def _plugin_for(province: str, value: int):
    return make(f"plug-{province}", provinces=[province],
                params=[{"name": "visits.min_days", "from": "2018-01-01", "value": value,
                         "source": "KH thử"},
                        {"name": "visits.require_order", "from": "2018-01-01", "value": True,
                         "source": "KH thử"}],
                overrides=["visits.min_days", "visits.require_order"])


def _other(findings):
    return sorted((f for f in findings if f.province == "P2"), key=lambda f: (f.rule,
                                                                                f.subject_id))


@settings(max_examples=15)
@given(seed=st.integers(0, 10_000), value=st.integers(1, 120),
       sizes=st.tuples(st.integers(1, 3), st.integers(1, 2), st.integers(1, 2)))
def test_plugin_never_touches_the_other_province(seed, value, sizes):
    """For any two-province dataset, a plugin scoped to one province changes no finding or score
    of the other."""
    districts, communes, branches = sizes
    ds = tiny_dataset(("P1", "P2"), seed=seed, districts=districts, communes=communes,
                      branches=branches)
    plain = plugin_engine()
    plugged = plugin_engine(_plugin_for("P1", value))
    assert _other(plain.check(ds).findings) == _other(plugged.check(ds).findings)
    cs = dm.parse_criteria(TINY_CRITERIA)
    assert plain.score(ds, criteria=cs).cluster("P2-cum") == \
        plugged.score(ds, criteria=cs).cluster("P2-cum")


@settings(max_examples=10)
@given(seed=st.integers(0, 10_000), order=st.permutations([0, 1, 2]))
def test_registration_order_does_not_matter(seed, order):
    """Registering plugins in a different order gives the same results."""
    plugins = [_plugin_for("P1", 30), _plugin_for("P2", 45), make("none", provinces=["P3"])]
    ds = tiny_dataset(("P1", "P2", "P3"), seed=seed)
    a = plugin_engine(*plugins).check(ds)
    b = plugin_engine(*[plugins[i] for i in order]).check(ds)
    key = lambda f: (f.rule, f.subject_id)  # noqa: E731
    assert sorted(a.findings, key=key) == sorted(b.findings, key=key)


class TestConformance:
    def test_good_plugin(self):
        """A well-formed province plugin conforms."""
        assert check_conformance(make("ok", provinces=["P1"], params=MIN30,
                                      overrides=["visits.min_days"])) == []

    def test_plugin_without_province(self):
        """A plugin that names no province is told so."""
        problems = check_conformance(make("nowhere", provinces=[], params=[
            {"name": "x.y", "from": "2020-01-01", "value": 1, "source": "s"}]))
        assert any("names no province" in p for p in problems)

    def test_leaky_plugin_is_caught(self):
        """A rule that reports on units outside its province is dropped by the engine and
        reported as a scope violation, which the conformance check catches (issue #11: it
        used to be dropped silently and conform)."""
        def leaky(ctx):
            yield dm.Finding(rule="x.leak", subject_type="unit", subject_id="ZZ-OTHER",
                             status=dm.Status.FAIL, value=0, threshold=1,
                             message=dm.Text("x", "x"), source="s", province="ZZ-OTHER")

        rule = dm.Rule(id="x.leak", title=dm.Text("t", "t"), source="s", evaluate=leaky)
        problems = check_conformance(make("leaky", rules=[rule]))
        assert len(problems) == 1 and "ScopeViolation" in problems[0]


class TestCli:
    def test_plugins_json(self, capsys):
        """`doanmodel plugins --format json` lists name, version, provinces, contributions."""
        assert main(["plugins", "--format", "json", "--no-plugins"]) == 0
        data = json.loads(capsys.readouterr().out)
        national = data["plugins"][0]
        assert {"name", "version", "provinces", "contributes"} <= set(national)

    def test_missing_plugin_exit_3(self, tmp_path, capsys):
        """A dataset that needs an absent plugin exits 3 naming it."""
        import shutil

        from conftest import EXAMPLES

        dst = tmp_path / "tv"
        shutil.copytree(EXAMPLES / "tra-vinh-2019", dst)
        toml = dst / "dataset.toml"
        toml.write_text(toml.read_text(encoding="utf-8").replace("plugins = []",
                                                                  'plugins = ["travinh"]'),
                        encoding="utf-8")
        assert main(["check", str(dst), "--no-plugins"]) == 3
        assert "travinh" in capsys.readouterr().err


def test_new_plugin_template_works(tmp_path, capsys):
    """`doanmodel new-plugin` writes a package whose hooks conform and whose own tests pass."""
    import importlib
    import subprocess
    import sys

    out = tmp_path / "doanmodel-travinh"
    assert main(["new-plugin", str(out), "--name", "travinh", "--province", "TV",
                 "--title", "Tỉnh đoàn Trà Vinh", "--end", "30/06/2025"]) == 0
    sys.path.insert(0, str(out / "src"))
    try:
        hooks = importlib.import_module("doanmodel_travinh.hooks")
        assert check_conformance(hooks) == []
        info = hooks.doanmodel_plugin_info()
        assert (info["provinces"], info["end"]) == (["TV"], "2025-06-30")
    finally:
        sys.path.remove(str(out / "src"))
        for mod in [m for m in sys.modules if m.startswith("doanmodel_travinh")]:
            del sys.modules[mod]
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           str(out / "tests")], capture_output=True, text=True, check=False,
                          cwd=out, env={**__import__("os").environ,
                                        "PYTHONPATH": str(out / "src")})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert main(["new-plugin", str(out), "--name", "travinh", "--province", "TV"]) == 2
