"""Plugin isolation, second round (issue 23): a province's plugin changes nothing but its own
findings. Each attack of the issue is reproduced here, first in-process with plugins built on
the fly, then with the packaged bad plugins of tests/badplugins2 installed for real."""

from __future__ import annotations

import collections
import decimal
import itertools
import json
import math
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import MappingProxyType

import attrs
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import doanmodel as dm
from doanmodel.cli._cli import main
from doanmodel.engine import _boundary
from doanmodel.model import _params
from doanmodel.scoring import _criteria
from doanmodel.testing import TINY_CRITERIA, plugin_engine, tiny_dataset
from fakeplugins.fake import make

HERE = Path(__file__).parent
FIVE = ("VL", "CT", "TV", "P3", "P4")
OTHERS = set(FIVE) - {"VL"}


def _rule(rid, fn):
    return dm.Rule(id=rid, title=dm.Text("Luật thử", "Test rule"), source="thử", evaluate=fn)


def _vl(name, **kw):
    """A Vĩnh Long plugin (VL merged on 1/7/2025, so it ends then)."""
    return make(name, provinces=["VL"], end="2025-06-30", **kw)


@pytest.fixture(scope="module")
def five():
    return tiny_dataset(FIVE, seed=5)


def _others_check(report):
    """The other provinces' findings, as JSON lines (what a user compares)."""
    data = json.loads(report.to_json())
    return sorted(json.dumps(f, sort_keys=True) for f in data["findings"]
                  if f.get("province") in OTHERS)


def _others_score(board):
    data = json.loads(board.to_json())
    return [json.dumps(c, sort_keys=True) for c in data["clusters"]
            if c["id"].split("-")[0] in OTHERS]


@pytest.fixture(scope="module")
def clean(five):
    engine = plugin_engine()
    return _others_check(engine.check(five, 2024)), _others_score(engine.score(five, 2024))


ENGINES = [pytest.param(False, id="in-process"), pytest.param(True, id="isolated")]


def _engine(isolate, *plugins, timeout=None):
    return dm.Engine(plugins=list(plugins), load_entry_points=False, isolate=isolate,
                     plugin_timeout=timeout)


# ---------------------------------------------------------------------------- shared answers
def _clear_branch_months(ctx):
    ctx.query.branch_months().clear()
    return []


def _clear_quota(ctx):
    ctx.query.quota().clear()
    return []


def _clear_meeting_counts(ctx):
    ctx.query.meeting_counts().clear()
    return []


def _clear_visit_index(ctx):
    for cadre in ctx.dataset.cadres:
        ctx.dataset.visits_by_cadre(cadre).clear()
    return []


def _clear_facts(ctx):
    ctx.facts.derived("visit_days").clear()
    return []


class TestSharedAnswers:
    @pytest.mark.parametrize("isolate", ENGINES)
    @pytest.mark.parametrize("attack", [_clear_branch_months, _clear_quota,
                                        _clear_meeting_counts, _clear_visit_index,
                                        _clear_facts])
    def test_clear_raises_and_changes_nothing(self, five, clean, isolate, attack):
        """`.clear()` on a shared answer is an error of that plugin (named) and the other
        provinces' check and score are as without it; a later clean run too."""
        plugin = _vl("vl-clears", rules=[_rule("vl.clears", attack)])
        engine = _engine(isolate, plugin)
        report = engine.check(five, 2024)
        assert [(f.plugin, f.error) for f in report.plugin_failures] == [
            ("vl-clears", "AttributeError")]
        assert _others_check(report) == clean[0]
        assert _others_score(engine.score(five, 2024)) == clean[1]
        later = plugin_engine()  # the dataset's own indexes are unchanged
        assert _others_check(later.check(five, 2024)) == clean[0]

    @pytest.mark.parametrize("backend", ["python", "duckdb"])
    def test_backends_answer_read_only(self, backend):
        """Both query backends give the memoised answers read-only, national code included."""
        pytest.importorskip("duckdb")
        five = tiny_dataset(FIVE, seed=5)  # its own: DuckDB tables stay attached to it
        ctx = dm.Engine(load_entry_points=False, backend=backend).context(five, 2024)
        for answer in (ctx.query.branch_months(), ctx.query.quota(),
                       ctx.query.active_members()):
            assert isinstance(answer, MappingProxyType)
            with pytest.raises((AttributeError, TypeError)):
                answer.clear()  # type: ignore[attr-defined]
        cadre = next(iter(five.cadres))
        assert isinstance(five.visits_by_cadre(cadre), tuple)


# ---------------------------------------------------------------------------- integrity
def _patch_ratio(ctx):
    _criteria.BUILTIN_METHODS["ratio"] = dm.ScoringMethod(
        name="ratio", score=lambda c, inputs: dict.fromkeys(inputs, (c.points, None)))
    return []


def _patch_params(ctx):
    _params.NATIONAL = tuple(attrs.evolve(v, value=30) if v.name == "visits.min_days" else v
                             for v in _params.NATIONAL)
    return []


def _patch_rule(ctx):
    from doanmodel.rules import _rules

    rule = next(r for r in _rules.BUILTIN_RULES if r.id == "branches.monthly_meeting")
    object.__setattr__(rule, "evaluate", lambda ctx: [])
    return []


def _patch_decimal(ctx):
    decimal.getcontext().prec = 2
    return []


def _patch_class(ctx):
    dm.Parameters.get = lambda self, *a, **k: 1  # type: ignore[method-assign]
    return []


class TestIntegrity:
    @pytest.mark.parametrize("attack", [_patch_ratio, _patch_params, _patch_rule,
                                        _patch_decimal, _patch_class])
    def test_patch_in_a_call_is_named_and_undone(self, five, clean, attack):
        """A plugin that patches doanmodel while it runs (in-process) fails as ``integrity``,
        the originals are back at once, and the other provinces are as without it."""
        before = (dict(_criteria.BUILTIN_METHODS), _params.NATIONAL, decimal.getcontext().prec,
                  dm.Parameters.get)
        plugin = _vl("vl-patch", rules=[_rule("vl.patch", attack)])
        engine = _engine(False, plugin)
        report = engine.check(five, 2024)
        assert [(f.plugin, f.kind) for f in report.plugin_failures] == [("vl-patch",
                                                                         "integrity")]
        assert (dict(_criteria.BUILTIN_METHODS), _params.NATIONAL, decimal.getcontext().prec,
                dm.Parameters.get) == before
        assert _others_check(report) == clean[0]
        assert _others_score(engine.score(five, 2024)) == clean[1]

    def test_patch_at_registration_refuses_the_plugin(self, five, clean):
        """A hook that patches the national parameter table as it is registered is refused,
        named; provenance credits only the true national value to the national document."""
        def info():
            _patch_params(None)
            return {"name": "vl-reg", "version": "1", "api": dm.PLUGIN_API,
                    "provinces": ["VL"], "end": "2025-06-30", "sources": ["thử"]}

        plugin = make("vl-reg", info=False, extra_hooks={"doanmodel_plugin_info": info})
        engine = plugin_engine(plugin)
        assert engine.registry.plugins["vl-reg"].failure.kind == "integrity"
        report = engine.check(five, 2024)
        assert [f.plugin for f in report.plugin_failures] == ["vl-reg"]
        assert _others_check(report) == clean[0]
        used = [p for p in report.provenance["parameters"] if p["name"] == "visits.min_days"]
        assert used and all(p["value"] != 30 for p in used)

    def test_isolated_patch_dies_with_its_process(self, five, clean):
        """Isolated, a patch happens in the plugin's own process: nothing to undo here."""
        before = dict(_criteria.BUILTIN_METHODS)
        report = _engine(True, _vl("vl-patch", rules=[_rule("vl.patch", _patch_ratio)])).check(
            five, 2024)
        assert dict(_criteria.BUILTIN_METHODS) == before
        assert _others_check(report) == clean[0]


# ---------------------------------------------------------------------------- limits
def _spins(ctx):
    collections.deque(itertools.repeat(None), maxlen=0)
    return []


def _prints(ctx):
    print("{not json")
    return []


class TestLimits:
    def test_gil_holding_loop_is_stopped(self, five, clean):
        """A loop holding the GIL is stopped at the timeout (its process is killed), named."""
        start = time.monotonic()
        report = _engine(None, _vl("vl-spins", rules=[_rule("vl.spins", _spins)]),
                         timeout=1.5).check(five, 2024)
        assert time.monotonic() - start < 30
        assert [(f.plugin, f.kind) for f in report.plugin_failures] == [("vl-spins", "timeout")]
        assert _others_check(report) == clean[0]
        spinning = [t for t in threading.enumerate() if t.name.startswith("doanmodel-plugin")]
        assert spinning == []

    @pytest.mark.parametrize("isolate", ENGINES)
    def test_print_goes_to_stderr(self, five, capsys, isolate):
        """What a plugin prints never reaches stdout."""
        _engine(isolate, _vl("vl-prints", rules=[_rule("vl.prints", _prints)])).check(five, 2024)
        assert "{not json" not in capsys.readouterr().out


# ---------------------------------------------------------------------------- names
def _bands(points):
    def score(c, inputs):
        return {u: (min(c.points, points), None) for u in inputs}
    return score


def _set(code):
    return dict(TINY_CRITERIA, id=f"{code.lower()}-set", criterion=[
        {"id": "b", "points": 10, "method": "bands", "indicator": "visit_days"}])


class TestNames:
    def test_same_method_name_in_two_provinces(self, five):
        """Two plugins of different provinces both define `bands`: each province is scored
        with its own, nobody is blamed."""
        vl = _vl("vl-bands", methods=[dm.ScoringMethod(name="bands", score=_bands(3))],
                 criteria=[_set("VL")])
        ct = make("ct-bands", provinces=["CT"], end="2025-06-30",
                  methods=[dm.ScoringMethod(name="bands", score=_bands(7))],
                  criteria=[_set("CT")])
        ds = attrs.evolve(five, criteria=None)
        for order in ((vl, ct), (ct, vl)):
            board = plugin_engine(*order).score(ds, 2024, clusters=["VL-cum", "CT-cum"])
            assert not board.plugin_failures
            points = {c.id: {s.criteria[0].points for s in c.standings} for c in board.clusters
                      if c.id in ("VL-cum", "CT-cum")}
            assert points == {"VL-cum": {3}, "CT-cum": {7}}

    def test_reused_rule_id_is_a_conflict_naming_both(self, five):
        """A rule id another plugin already uses is refused for both, whatever the
        provinces."""
        a = _vl("vl-a", rules=[_rule("same.rule", lambda ctx: [])])
        b = make("ct-b", provinces=["CT"], end="2025-06-30",
                 rules=[_rule("same.rule", lambda ctx: [])])
        engine = plugin_engine(a, b)
        for name in ("vl-a", "ct-b"):
            failure = engine.registry.plugins[name].failure
            assert failure.kind == "conflict" and "'vl-a'" in failure.message \
                and "'ct-b'" in failure.message

    def test_national_rule_id_needs_overrides(self):
        """A national rule id is refused unless the plugin declares it replaces it."""
        plugin = _vl("vl-n", rules=[_rule("visits.quota", lambda ctx: [])])
        assert "overrides" in plugin_engine(plugin).failed["vl-n"]


# ---------------------------------------------------------------------------- contributions
def _method_set():
    return [dict(TINY_CRITERIA, id="vl-set", criterion=[
        {"id": "x", "points": 10, "method": "bad", "indicator": "visit_days"}])]


def _other_sets():
    """A plugin giving each other province the tiny criteria set."""
    return [make(f"ok-{c.lower()}", provinces=[c], end="2025-06-30" if c in ("CT", "TV") else None,
                 criteria=[dict(TINY_CRITERIA, id=f"{c.lower()}-set")]) for c in sorted(OTHERS)]


class _Custom(BaseException):
    pass


class TestContributions:
    @pytest.mark.parametrize("points", [math.nan, None, "abc", math.inf, -1e9, 11,
                                        decimal.Decimal("NaN")])
    def test_bad_points_fail_the_plugin(self, five, points):
        """Points that are not a finite number within the criterion fail the plugin; the other
        clusters are scored as without it."""
        method = dm.ScoringMethod(name="bad", score=lambda c, inputs: dict.fromkeys(
            inputs, (points, None)))
        ds = attrs.evolve(five, criteria=None)
        clean = plugin_engine(*_other_sets()).score(ds, 2024,
                                                    clusters=[f"{c}-cum" for c in sorted(OTHERS)])
        board = plugin_engine(_vl("vl-bad", methods=[method], criteria=_method_set()),
                              *_other_sets()).score(ds, 2024)
        (failure,) = board.plugin_failures
        assert (failure.plugin, failure.kind) == ("vl-bad", "contract")
        assert "VL-cum" not in {c.id for c in board.clusters}
        assert _others_score(board) == _others_score(clean)

    @pytest.mark.parametrize("isolate", ENGINES)
    def test_custom_base_exception_is_contained(self, five, isolate):
        """A custom BaseException subclass is a failure of the plugin, not a crash."""
        def raises(ctx):
            raise _Custom("boom")

        report = _engine(isolate, _vl("vl-base", rules=[_rule("vl.base", raises)])).check(
            five, 2024)
        assert [(f.plugin, f.error) for f in report.plugin_failures] == [("vl-base", "_Custom")]

    def test_findings_cap(self, five, monkeypatch):
        """A plugin publishing more findings than the cap fails (an endless generator too)."""
        monkeypatch.setattr(_boundary, "MAX_FINDINGS", 50)

        def endless(ctx):
            while True:
                yield dm.Finding(rule="vl.many", subject_type="unit", subject_id="VL",
                                 status=dm.Status.PASS, value=1, threshold=1, source="thử",
                                 message=dm.Text("được", "ok"))

        report = plugin_engine(_vl("vl-many", rules=[_rule("vl.many", endless)])).check(
            five, 2024)
        (failure,) = report.plugin_failures
        assert failure.plugin == "vl-many" and "50" in failure.message
        assert not report.by_rule("vl.many")


# ---------------------------------------------------------------------------- provinces
class TestProvinces:
    @pytest.mark.parametrize(("provinces", "end", "says"), [
        (["Vĩnh Long"], "2025-06-30", "did you mean 'VL'"),
        (["QQ"], None, "not a province code"),
        (["ST"], None, "ceased on 2025-06-30"),
        ([], None, "names no province"),
        (["CT-2025"], "2025-06-30", "does not exist on the plugin's dates"),
    ])
    def test_refused_at_registration(self, provinces, end, says):
        plugin = make("p", provinces=provinces, end=end, params=[])
        failure = plugin_engine(plugin).registry.plugins["p"].failure
        assert failure is not None and failure.kind == "contract" and says in failure.message

    @pytest.mark.parametrize("provinces", [["VL"], ["QT", "QT-2025"], ["P1"], ["CODE"]])
    def test_accepted(self, provinces):
        end = "2025-06-30" if provinces == ["VL"] else None
        assert plugin_engine(make("p", provinces=provinces, end=end, params=[])).failed == {}

    def test_unknown_plugin_option_is_exit_2(self, capsys):
        code = main(["check", str(HERE.parent / "examples" / "tra-vinh-2019"), "--plugin",
                     "nosuch", "--lang", "en"])
        assert code == 2 and "nosuch" in capsys.readouterr().err

    def test_new_plugin_name_becomes_code_or_is_refused(self, tmp_path, capsys):
        assert main(["new-plugin", str(tmp_path / "a"), "--name", "a", "--province",
                     "Cần Thơ", "--end", "2025-06-30", "--lang", "en"]) == 0
        toml = (tmp_path / "a" / "src" / "doanmodel_a" / "plugin.toml").read_text("utf-8")
        assert 'provinces = ["CT"]' in toml
        assert main(["new-plugin", str(tmp_path / "s"), "--name", "s", "--province", "ST",
                     "--lang", "en"]) == 0  # a merged province: it ends on its last day
        toml = (tmp_path / "s" / "src" / "doanmodel_s" / "plugin.toml").read_text("utf-8")
        assert 'provinces = ["ST"]' in toml and 'end = "2025-06-30"' in toml
        for value in ("Cần Thơ", "QQ", "Vinh Long"):
            capsys.readouterr()
            assert main(["new-plugin", str(tmp_path / "b"), "--name", "b", "--province", value,
                         "--lang", "en"]) == 2
            assert "--province" in capsys.readouterr().err
            assert not (tmp_path / "b").exists()


# ---------------------------------------------------------------------------- the app's door
class TestDatasetBuild:
    def test_build_validates_like_the_loader(self):
        """An unknown parent, a ghost cadre and a visit to a missing unit: every problem, by
        file and column."""
        meta = dm.DatasetMeta(name="x", root="TW", year=2024)
        units = [dm.Unit(id="TW", versions=(dm.UnitVersion(id="TW", name="TW",
                                                           level=dm.Level.CENTRAL),)),
                 dm.Unit(id="A", versions=(dm.UnitVersion(id="A", name="A",
                                                          level=dm.Level.PROVINCE,
                                                          parent_id="NOPE"),))]
        visits = [dm.Visit(id="v1", cadre_id="GHOST", unit_id="MISSING",
                           start=dm.parse_date("2024-03-01"), purpose=dm.VisitPurpose.SURVEY)]
        with pytest.raises(dm.DatasetError) as info:
            dm.Dataset.build(meta, units, visits=visits)
        where = {(p.file, p.column) for p in info.value.problems}
        assert ("units.csv", "parent_id") in where
        assert ("visits.csv", "cadre_id") in where and ("visits.csv", "unit_id") in where
        ds = dm.Dataset.build(meta, units, visits=visits, validate=False)
        assert dm.dataset_problems(ds) == list(info.value.problems)


# ---------------------------------------------------------------------------- the property
_ATTACKS = {
    "clear branch_months": _clear_branch_months, "clear quota": _clear_quota,
    "clear meeting_counts": _clear_meeting_counts, "clear visit index": _clear_visit_index,
    "patch ratio": _patch_ratio, "patch params": _patch_params, "patch rule": _patch_rule,
    "patch decimal": _patch_decimal, "print": _prints,
    "raise BaseException": lambda ctx: (_ for _ in ()).throw(_Custom("x")),
    "nothing": lambda ctx: [],
}


@settings(max_examples=12, deadline=None)
@given(attacks=st.lists(st.sampled_from(sorted(_ATTACKS)), min_size=1, max_size=3),
       isolate=st.booleans())
@example(attacks=["clear branch_months", "patch ratio"], isolate=False)
@example(attacks=["patch params", "print"], isolate=False)
def test_other_provinces_never_change(five, clean, capsys, attacks, isolate):
    """Whatever a VL plugin does (mutations, patches, prints, exceptions, in one call or
    several), the other provinces' check and score JSON are those of a run without it."""
    rules = [_rule(f"vl.r{i}", _ATTACKS[a]) for i, a in enumerate(attacks)]
    engine = _engine(isolate, _vl("vl-any", rules=rules))
    assert _others_check(engine.check(five, 2024)) == clean[0]
    assert _others_score(engine.score(five, 2024)) == clean[1]
    assert "{not json" not in capsys.readouterr().out


# ---------------------------------------------------------------------------- installed
@pytest.fixture(scope="module")
def bad_site(tmp_path_factory):
    """The plugins of tests/badplugins2, really installed (pip --target)."""
    target = tmp_path_factory.mktemp("site2")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--target", str(target), str(HERE / "badplugins2")],
        capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.fail(f"could not install the bad plugins: {done.stderr[-2000:]}")
    return target


@pytest.fixture(scope="module")
def five_dir(tmp_path_factory, five):
    out = tmp_path_factory.mktemp("five") / "five"
    dm.write_dataset(five, out)
    return out


def _cli(args, site=None, timeout=120):
    env = dict(os.environ)
    env.pop("DOANMODEL_DEBUG", None)
    if site is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(site), env.get("PYTHONPATH", "")])
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "doanmodel", *args], capture_output=True,
                          text=True, env=env, check=False, timeout=timeout)
    return done.returncode, done.stdout, done.stderr, time.monotonic() - start


_IMPORT_PATCHERS = ("vl-params", "vl-rule", "vl-ratio", "vl-decimal")
_ALL_BUT_SPINS = [a for n in (*_IMPORT_PATCHERS, "vl-prints", "vl-thread", "vl-answers")
                  for a in ("--plugin", n)]


class TestInstalled:
    """The packaged bad plugins installed beside the bundled ones: the other provinces' JSON is
    byte-identical, stdout parses, each patcher is named, exit 3, done within its limits."""

    @pytest.mark.parametrize("mode", [[], ["--no-isolate"]])
    @pytest.mark.parametrize("command", ["check", "score"])
    def test_others_identical(self, bad_site, five_dir, mode, command):
        args = [command, str(five_dir), "--format", "json", "--lang", "en", *mode]
        code0, out0, _, _ = _cli(args + ["--no-plugins"])
        code, out, err, took = _cli(args + _ALL_BUT_SPINS, bad_site)
        assert code0 == 0 and code == 3, err
        assert took < 25  # the thread's 30 s sleep does not hold the exit
        for name in _IMPORT_PATCHERS:
            assert f"plugin {name} (doanmodel-badplugins2 2.3.0) failed in import" in err
        assert "IntegrityViolation" in err and "Traceback" not in err
        data, data0 = json.loads(out), json.loads(out0)
        if command == "check":
            assert _json_others(data["findings"]) == _json_others(data0["findings"])
            used = [p for p in data["provenance"]["parameters"] if p["name"] == "visits.min_days"]
            assert all(p["value"] != 30 for p in used)
        else:
            keep = [json.dumps(c, sort_keys=True) for c in data["clusters"]
                    if c["id"].split("-")[0] in OTHERS]
            assert keep == [json.dumps(c, sort_keys=True) for c in data0["clusters"]
                            if c["id"].split("-")[0] in OTHERS] != []

    def test_gil_loop_stopped_by_timeout(self, bad_site, five_dir):
        code, out, err, took = _cli(["check", str(five_dir), "--format", "json", "--lang", "en",
                                     "--plugin", "vl-spins", "--plugin-timeout", "2"], bad_site)
        assert code == 3 and took < 30
        assert "plugin vl-spins (doanmodel-badplugins2 2.3.0) failed in rule vl.spins: Timeout" \
            in err
        assert json.loads(out)["findings"]


def _json_others(findings):
    return sorted(json.dumps(f, sort_keys=True) for f in findings if f.get("province") in OTHERS)


class TestPythonCalls:
    def test_unknown_what_if_parameter_is_refused(self, five):
        """score(parameters=…) checks the names as the CLI does, with a did-you-mean."""
        with pytest.raises(dm.DoanmodelError, match=r"did you mean 'visits\.min_days'"):
            plugin_engine().score(five, 2024, parameters={"visits.min_dayz": 30})

    def test_bad_period_is_a_doanmodel_error(self, five):
        with pytest.raises(dm.DoanmodelError, match="2024-Q5"):
            plugin_engine().check(five, period="2024-Q5")


# ---------------------------------------------------------------- threads (the HTTP server)
def test_plugin_prints_from_threads_leave_stdout_as_it_was():
    """Two threads in plugin code at once, leaving in the other order: stdout is put back."""
    before = sys.stdout
    a_in, b_in, a_out = threading.Event(), threading.Event(), threading.Event()

    def first():
        with _boundary.plugin_stdout():
            a_in.set()
            b_in.wait(5)
        a_out.set()

    def second():
        a_in.wait(5)
        with _boundary.plugin_stdout():
            b_in.set()
            a_out.wait(5)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert sys.stdout is before


def test_a_module_being_imported_is_not_a_plugin_change(tmp_path, monkeypatch):
    """A doanmodel module another thread is still importing is not fingerprinted half-done."""
    import types

    from doanmodel.engine._integrity import Integrity
    mod = types.ModuleType("doanmodel._half_imported")
    mod.__spec__ = types.SimpleNamespace(_initializing=True)
    monkeypatch.setitem(sys.modules, mod.__name__, mod)
    integrity = Integrity()
    mod.__doc__ = "its docstring, set when the import goes on"
    mod.late = 1
    mod.__spec__._initializing = False
    assert integrity.verify(None, "someone", "import") == []
    mod.late = 2  # now fingerprinted, a change is seen
    assert integrity.verify(None, "someone", "import") == ["doanmodel._half_imported.late"]
