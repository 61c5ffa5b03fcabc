"""The plugin boundary: faults isolated, scope enforced by the host, conflicts loud."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import doanmodel as dm
from doanmodel.cli._cli import main
from doanmodel.testing import TINY_CRITERIA, check_conformance, plugin_engine, tiny_dataset
from fakeplugins.fake import make

HERE = Path(__file__).parent


def _rule(rid, fn):
    return dm.Rule(id=rid, title=dm.Text("Luật thử", "Test rule"), source="thử", evaluate=fn)


def _national_findings(report, provinces):
    return sorted((f for f in report.findings if f.province in provinces),
                  key=lambda f: (f.rule, f.subject_id))


def _raise_zero(ctx):
    return [1 / 0]


def _exit(ctx):
    raise SystemExit(0)


def _junk(ctx):
    return [1, "x", None]


def _fake_scope(ctx):
    yield dm.Finding(rule="p1.fake", subject_type="cadre", subject_id="P2-CB1",
                     status=dm.Status.FAIL, value=0, threshold=1, province="P1", source="thử",
                     message=dm.Text("giả", "fake"))


def _mutates(ctx):
    ctx.dataset.units["X"] = None
    return []


def _sleeps(ctx):
    time.sleep(30)
    return []


class TestFaultsIsolated:
    @pytest.mark.parametrize(("fn", "error"), [
        (_raise_zero, "ZeroDivisionError"),
        (_exit, "SystemExit"),
        (_junk, "PluginContractError"),
        (_mutates, "ReadOnlyError"),
    ])
    def test_rule_fault_drops_only_that_plugin(self, fn, error):
        """A plugin rule that raises (even SystemExit), returns junk or tries to change the
        dataset is recorded under its name; every other finding is as without the plugin."""
        ds = tiny_dataset(("P1", "P2"))
        clean = plugin_engine().check(ds, 2024)
        good = make("good", provinces=["P1"], rules=[_rule("p1.ok", lambda ctx: [])])
        bad = make("bad", provinces=["P1"], rules=[_rule("p1.bad", fn)])
        report = plugin_engine(bad, good).check(ds, 2024)
        assert [(f.plugin, f.where, f.error) for f in report.plugin_failures] == [
            ("bad", "rule p1.bad", error)]
        assert report.findings == clean.findings
        assert "ds" not in ds.units and "X" not in ds.units

    def test_strict_raises_plugin_error(self):
        """``strict=True`` turns a plugin's fault into a PluginError naming it."""
        bad = make("bad", provinces=["P1"], rules=[_rule("p1.bad", _raise_zero)])
        with pytest.raises(dm.PluginError, match=r"'bad'.*ZeroDivisionError"):
            plugin_engine(bad).check(tiny_dataset(("P1",)), 2024, strict=True)

    def test_timeout(self):
        """A slow plugin call is abandoned after the timeout; the run completes."""
        slow = make("slow", provinces=["P1"], rules=[_rule("p1.slow", _sleeps)])
        engine = dm.Engine(plugins=[slow], load_entry_points=False, plugin_timeout=0.2)
        start = time.monotonic()
        report = engine.check(tiny_dataset(("P1",)), 2024)
        assert time.monotonic() - start < 25  # the 30 s call was abandoned
        assert [(f.plugin, f.kind) for f in report.plugin_failures] == [("slow", "timeout")]
        assert report.by_rule("visits.quota")

    def test_scoring_method_fault_drops_its_clusters(self):
        """A plugin's scoring method that raises stops the clusters scored with it only."""
        def boom(c, inputs):
            raise RuntimeError("hỏng")

        method = dm.ScoringMethod(name="boom", score=boom)
        p1_set = dict(TINY_CRITERIA, id="p1-set", criterion=[
            {"id": "x", "points": 10, "method": "boom", "indicator": "new_members"}])
        bad = make("bad", provinces=["P1"], methods=[method], criteria=[p1_set])
        good = make("good", provinces=["P2"], criteria=[dict(TINY_CRITERIA, id="p2-set")])
        ds = attrs.evolve(tiny_dataset(("P1", "P2")), criteria=None)
        board = plugin_engine(bad, good).score(ds, 2024)
        assert [c.id for c in board.clusters] == ["P2-cum"]
        assert board.plugin_failures[0].where == "scoring method boom"

    def test_validate_hook_fault_is_a_problem_naming_the_plugin(self, tmp_path, capsys):
        """doanmodel_validate raising is reported as a problem of that plugin, exit 3."""
        bad = make("bad", provinces=["P1"], validate=lambda ds: 1 / 0)
        problems = plugin_engine(bad).validate(tiny_dataset(("P1",)))
        assert problems and problems[0].file == "plugin:bad"
        assert "ZeroDivisionError" in problems[0].message.en


class TestScope:
    def test_faked_province_is_dropped_and_reported(self):
        """A P1 plugin's finding on a P2 cadre that claims P1 is dropped as a scope violation."""
        faker = make("faker", provinces=["P1"], rules=[_rule("p1.fake", _fake_scope)])
        report = plugin_engine(faker).check(tiny_dataset(("P1", "P2")), 2024)
        assert not report.by_rule("p1.fake")
        (failure,) = report.plugin_failures
        assert (failure.plugin, failure.kind, failure.error) == ("faker", "scope",
                                                                 "ScopeViolation")
        assert "P2-CB1" in failure.message

    def test_conformance_catches_scope_faking_and_double_parameters(self):
        """The conformance kit reports a scope violation and a parameter set twice."""
        faker = make("faker", provinces=["P1"], rules=[_rule("p1.fake", _fake_scope)])
        assert any("ScopeViolation" in p for p in check_conformance(faker))
        twice = make("twice", provinces=["P1"], overrides=["visits.min_days"], params=[
            {"name": "visits.min_days", "from": "2018-01-01", "value": 30, "source": "a"},
            {"name": "visits.min_days", "from": "2018-01-01", "value": 40, "source": "b"}])
        assert any("twice" in p for p in check_conformance(twice))

    def test_province_written_by_host(self):
        """The host writes the subject's province on a plugin's finding, whatever it said."""
        def liar(ctx):
            yield dm.Finding(rule="p1.x", subject_type="unit", subject_id="P1-H0",
                             status=dm.Status.PASS, value=1, threshold=1, province="ELSEWHERE",
                             source="thử", message=dm.Text("được", "ok"))

        plugin = make("liar", provinces=["P1"], rules=[_rule("p1.x", liar)])
        report = plugin_engine(plugin).check(tiny_dataset(("P1", "P2")), 2024)
        assert report.finding("p1.x", "P1-H0").province == "P1"
        assert not report.plugin_failures

    @settings(max_examples=15, deadline=None)
    @given(values=st.lists(st.integers(1, 90), min_size=3, max_size=3),
           faults=st.lists(st.booleans(), min_size=3, max_size=3))
    def test_isolation_property(self, values, faults):
        """For plugins scoped to disjoint provinces, P's results depend only on P's plugins."""
        codes = ("P1", "P2", "P3")
        ds = tiny_dataset(codes, seed=3)

        def plugin(i):
            code = codes[i]
            rules = [_rule(f"{code.lower()}.r", _raise_zero if faults[i] else lambda ctx: [])]
            return make(f"pl{i}", provinces=[code], overrides=["visits.min_days"], rules=rules,
                        params=[{"name": "visits.min_days", "from": "2018-01-01",
                                 "value": values[i], "source": "thử"}])

        together = plugin_engine(*(plugin(i) for i in range(3))).check(ds, 2024)
        for i, code in enumerate(codes):
            alone = plugin_engine(plugin(i)).check(ds, 2024)
            assert _national_findings(together, {code}) == _national_findings(alone, {code})


class TestConflictsAndCriteria:
    def test_conflict_refuses_both_and_is_loud_where_it_matters(self, capsys, tmp_path):
        """Two plugins setting one parameter for P1: both refused; a run on P1 exits 3."""
        a = make("a", provinces=["P1"], overrides=["visits.min_days"], params=[
            {"name": "visits.min_days", "from": "2018-01-01", "value": 20, "source": "a"}])
        b = make("b", provinces=["P1"], overrides=["visits.min_days"], params=[
            {"name": "visits.min_days", "from": "2018-01-01", "value": 40, "source": "b"}])
        engine = plugin_engine(a, b)
        assert set(engine.failed) == {"a", "b"}
        on_p1 = engine.check(tiny_dataset(("P1", "P2")), 2024)
        assert {(f.plugin, f.kind) for f in on_p1.plugin_failures} == {("a", "conflict"),
                                                                       ("b", "conflict")}
        assert not engine.check(tiny_dataset(("P2",)), 2024).plugin_failures

    def test_each_cluster_scored_with_its_province_set(self):
        """A dataset with two provinces scores each cluster with its own province's set."""
        def own(code):
            cs = dict(TINY_CRITERIA, id=f"{code.lower()}-set", criterion=[
                {"id": f"{code.lower()}.only", "points": 10, "method": "count",
                 "points_each": 1, "indicator": "visit_days"}])
            return make(f"pl-{code}", provinces=[code], criteria=[cs])

        engine = plugin_engine(own("P1"), own("P2"))
        ds = attrs.evolve(tiny_dataset(("P1", "P2")), criteria=None)
        board = engine.score(ds, 2024)
        assert {c.id: c.criteria_id for c in board.clusters} == {"P1-cum": "p1-set",
                                                                 "P2-cum": "p2-set"}
        crits = {c.id: {s.id for s in c.standings[0].criteria} for c in board.clusters}
        assert crits == {"P1-cum": {"p1.only"}, "P2-cum": {"p2.only"}}
        with pytest.raises(dm.DoanmodelError, match="applies to P1 only"):
            engine.score(ds, 2024, criteria="p1-set")


class TestContractErrors:
    def test_dict_instead_of_list(self):
        """A hook returning a dict says which hook, which plugin, what was expected and got."""
        engine = plugin_engine(make("sai", params={"name": "x"}))
        msg = engine.failed["sai"]
        assert "doanmodel_parameters" in msg and "list of ParamValue" in msg and "dict" in msg
        failure = engine.registry.plugins["sai"].failure
        assert failure.plugin == "sai" and failure.where == "doanmodel_parameters"


# ---------------------------------------------------------------------------- installed packages
@pytest.fixture(scope="module")
def bad_site(tmp_path_factory):
    """The misbehaving plugins of tests/badplugins, really installed (pip --target)."""
    target = tmp_path_factory.mktemp("site")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--target", str(target), str(HERE / "badplugins")],
        capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.fail(f"could not install the bad plugins: {done.stderr[-2000:]}")
    return target


def _cli(args, site=None):
    env = dict(os.environ)
    env.pop("DOANMODEL_DEBUG", None)
    if site is not None:  # the bad plugins first, then the code under test (a worktree's src)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(site), env.get("PYTHONPATH")) if p)
    done = subprocess.run([sys.executable, "-m", "doanmodel", *args], capture_output=True,
                          text=True, env=env, check=False)
    return done.returncode, done.stdout, done.stderr


class TestInstalledBadPlugins:
    """With a raising, a scope-faking and two conflicting Cần Thơ plugins installed beside the
    bundled ones, every other province's results are byte-identical and the bad ones named."""

    @pytest.fixture(scope="class")
    @classmethod
    def dataset(cls, tmp_path_factory):
        out = tmp_path_factory.mktemp("ds") / "three"
        ds = attrs.evolve(tiny_dataset(("CT", "TV", "P3"), seed=2), criteria=None)
        dm.write_dataset(ds, out)
        (out / "criteria.toml").write_text(
            'id = "thu"\ntitle = "Bộ thử"\nsource = "thử"\nyear = 2024\n'
            '[[criterion]]\nid = "visits"\npoints = 30\nmethod = "count"\npoints_each = 1\n'
            'indicator = "visit_days"\n', encoding="utf-8")
        return out

    def test_check(self, bad_site, dataset):
        code, out, err = _cli(["check", str(dataset), "--format", "json", "--lang", "en"],
                              bad_site)
        code0, out0, err0 = _cli(["check", str(dataset), "--format", "json", "--lang", "en"])
        # issue 22: a 2024 check warns that HD 03's values are extended; nothing else is said
        assert code0 == 0 and all(line.startswith("doanmodel: warning: ")
                                  for line in err0.splitlines())
        assert code == 3
        for name in ("ct-raises", "ct-fakes-scope", "ct-min-a", "ct-min-b"):
            assert f"plugin {name} (doanmodel-badplugins 6.6.6) failed in" in err
        assert "ZeroDivisionError" in err and "ScopeViolation" in err and "Conflict" in err
        assert "Traceback" not in err
        keep = lambda d: [json.dumps(f, sort_keys=True) for f in d["findings"]  # noqa: E731
                          if f["province"] in ("TV", "P3")]
        data = json.loads(out)
        assert keep(data) == keep(json.loads(out0))
        assert {f["plugin"] for f in data["plugin_failures"]} == {
            "ct-raises", "ct-fakes-scope", "ct-min-a", "ct-min-b"}

    def test_score(self, bad_site, dataset):
        code, out, _ = _cli(["score", str(dataset), "--format", "json"], bad_site)
        code0, out0, _ = _cli(["score", str(dataset), "--format", "json"])
        assert (code, code0) == (3, 0)
        keep = lambda d: [json.dumps(c, sort_keys=True) for c in d["clusters"]  # noqa: E731
                          if c["id"] in ("TV-cum", "P3-cum")]
        assert keep(json.loads(out)) == keep(json.loads(out0)) != []

    def test_plugins_command(self, bad_site):
        code, out, err = _cli(["plugins", "--format", "json"], bad_site)
        assert code == 3
        # Vietnamese by default: the template and doanmodel's own message are translated
        assert "(gói doanmodel-badplugins 6.6.6) bị lỗi ở tham số visits.min_days" in err
        assert "cùng đặt tham số 'visits.min_days'" in err and "failed in" not in err
        rows = {p["name"]: p for p in json.loads(out)["plugins"]}
        assert rows["ct-raises"]["error"] is None  # loads; fails only when run
        assert rows["ct-min-a"]["provinces"] == ["CT"] and rows["ct-min-a"]["error"]
        assert "ct-min-b" in err

    def test_plugins_table_in_one_language(self, bad_site):
        """The table's status column gives a conflict in the run's language."""
        code, out, _ = _cli(["plugins"], bad_site)
        assert code == 3 and "cùng đặt tham số 'visits.min_days'" in out
        assert "both set" not in out
        code, out, _ = _cli(["plugins", "--lang", "en"], bad_site)
        assert code == 3 and "both set parameter 'visits.min_days'" in out and "cùng" not in out

    def test_debug_adds_traceback(self, bad_site, dataset):
        env = dict(os.environ, DOANMODEL_DEBUG="1", PYTHONPATH=os.pathsep.join(
            p for p in (str(bad_site), os.environ.get("PYTHONPATH")) if p))
        done = subprocess.run([sys.executable, "-m", "doanmodel", "check", str(dataset)],
                              capture_output=True, text=True, env=env, check=False)
        assert done.returncode == 3 and "Traceback" in done.stderr and "1 / 0" in done.stderr

    def test_unaffected_dataset_exits_0(self, bad_site):
        code, _, err = _cli(["check", str(HERE.parent / "examples" / "tra-vinh-2019")], bad_site)
        # issue 22: the example reports no members nor meetings, which two warnings say;
        # nothing names a plugin
        assert code == 0 and all(line.startswith("doanmodel: cảnh báo: ")
                                 for line in err.splitlines())


def test_cli_plugin_timeout_option_is_checked(capsys):
    """--plugin-timeout must be a positive number of seconds (exit 2)."""
    with pytest.raises(SystemExit) as exc:
        main(["check", "examples/tra-vinh-2019", "--plugin-timeout", "-1"])
    assert exc.value.code == 2
    assert "--plugin-timeout" in capsys.readouterr().err
