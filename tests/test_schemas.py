"""Tests for the shipped JSON Schemas (`doanmodel schema`): every example's TOML and every JSON
output validate against them, and they follow the attrs classes they are generated from."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import attrs
import jsonschema
import pytest

import doanmodel as dm
from conftest import DATA, EXAMPLES, ROOT
from doanmodel.cli._cli import main
from doanmodel.engine._boundary import PluginFailure
from doanmodel.engine._programme_report import LevelCount, UnitRow
from doanmodel.scoring._scoring import ClusterBoard
from doanmodel.testing import TINY_CRITERIA, plugin_engine, tiny_dataset
from fakeplugins.fake import make

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DATASETS = sorted(p for p in EXAMPLES.iterdir() if (p / "dataset.toml").exists())
TOML_SCHEMA = {"dataset.toml": "dataset", "clusters.toml": "clusters",
               "criteria.toml": "criteria", "programmes.toml": "programmes"}
WITH_PROGRAMMES = [p for p in DATASETS if (p / "programmes.toml").exists()]
#: a day for open and overdue recommendations, so the outputs do not depend on today
AS_OF = "2024-12-31"


def _validator(name: str) -> jsonschema.Draft202012Validator:
    schema = dm.json_schema(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def _toml(path: Path) -> object:
    """A TOML file as JSON sees it: dates as ISO strings."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return json.loads(json.dumps(data, default=lambda v: v.isoformat()))


def _errors(name: str, instance: object) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in _validator(name).iter_errors(instance)]


def _json(capsys, *argv) -> tuple[int, object]:
    code = main([str(a) for a in argv])
    out = capsys.readouterr().out
    return code, json.loads(out)


@pytest.fixture(name="synthetic", scope="module")
def _synthetic(tmp_path_factory) -> Path:
    """A synthetic dataset with clusters, criteria and members (what no example has at once)."""
    out = tmp_path_factory.mktemp("synth") / "tiny"
    dm.synth(out, scale="tiny", seed=4, year=2025)
    return out


class TestSchemaCommand:
    @pytest.mark.parametrize("name", dm.SCHEMA_NAMES)
    def test_prints_a_valid_schema(self, capsys, name):
        """`doanmodel schema NAME` prints a Draft 2020-12 schema titled in the run's language."""
        code, schema = _json(capsys, "schema", name, "--lang", "en")
        assert code == 0
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema["$schema"].endswith("2020-12/schema") and schema["title"]

    def test_list_in_both_languages(self, capsys):
        """`--list` names every schema, with a title in the chosen language."""
        assert main(["schema", "--list"]) == 0
        vi = capsys.readouterr().out
        assert main(["schema", "--list", "--lang", "en", "--format", "json"]) == 0
        en = json.loads(capsys.readouterr().out)["schemas"]
        assert [s["name"] for s in en] == list(dm.SCHEMA_NAMES)
        assert all(name in vi for name in dm.SCHEMA_NAMES)
        assert "Tệp dataset.toml" in vi and en[0]["title"] == "The dataset.toml file"

    @pytest.mark.parametrize(("lang", "words"), [("vi", "có phải ý bạn là 'score'"),
                                                 ("en", "did you mean 'score'")])
    def test_unknown_name_suggests(self, capsys, lang, words):
        """A misspelt name is exit 2 with one line suggesting the right one."""
        assert main(["schema", "scroe", "--lang", lang]) == 2
        err = capsys.readouterr().err
        assert words in err and err.count("\n") == 1

    def test_file_names_accepted(self, capsys):
        """`schema dataset.toml` is the dataset schema."""
        assert _json(capsys, "schema", "dataset.toml")[1] == dm.json_schema("dataset")


class TestTomlFiles:
    @pytest.mark.parametrize("path", [p for d in DATASETS for p in sorted(d.glob("*.toml"))],
                             ids=lambda p: f"{p.parent.name}/{p.name}")
    def test_every_example_file(self, path):
        """Every TOML file of every example validates against its schema."""
        assert _errors(TOML_SCHEMA[path.name], _toml(path)) == []

    @pytest.mark.parametrize("path", [
        *sorted((ROOT / "src" / "doanmodel" / "data" / "criteria").glob("*.toml")),
        *sorted(ROOT.glob("plugins/*/src/*/criteria.toml"))], ids=lambda p: p.name)
    def test_shipped_criteria_sets(self, path):
        """The criteria sets doanmodel and its plugins ship validate too."""
        assert _errors("criteria", _toml(path)) == []

    def test_synthetic_files(self, synthetic):
        """What `synth` writes validates."""
        for file in ("dataset.toml", "clusters.toml", "criteria.toml"):
            assert _errors(TOML_SCHEMA[file], _toml(synthetic / file)) == [], file

    @pytest.mark.parametrize(("case", "file"), [
        ("unknown_toml_key", "dataset.toml"), ("parameter_without_source", "dataset.toml"),
        ("criteria_unknown_key", "criteria.toml"), ("programme_bad_values", "programmes.toml")])
    def test_rejects_what_the_loader_rejects(self, case, file):
        """A file the loader refuses for its keys, the schema refuses too."""
        with pytest.raises(dm.DatasetError):
            if file == "criteria.toml":
                dm.load_criteria(DATA / "bad" / case / file)
            else:
                dm.load_dataset(DATA / "bad" / case)
        assert _errors(TOML_SCHEMA[file], _toml(DATA / "bad" / case / file))

    def test_programme_values_where_the_loader_names_them(self):
        """A topic result and an addressee outside their lists are refused at the keys the
        loader names; an end before the start is the loader's alone (the schema has no order)."""
        with pytest.raises(dm.DatasetError) as info:
            dm.load_dataset(DATA / "bad" / "programme_bad_values")
        columns = sorted(p.column for p in info.value.problems)
        assert columns == ["addressee", "end", "results"]
        errors = _errors("programmes", _toml(DATA / "bad" / "programme_bad_values" /
                                             "programmes.toml"))
        assert sorted(e.split(":")[0] for e in errors) == [
            "programme/0/unit/0/recommendation/0/addressee", "programme/0/unit/0/results/chi-tieu"]

    def test_references_are_the_loaders(self):
        """A programmes.toml whose shape is right but whose cadre and visits do not exist passes
        the schema (it describes one file) and is refused by the loader."""
        case = DATA / "bad" / "programme_bad_references"
        with pytest.raises(dm.DatasetError):
            dm.load_dataset(case)
        assert _errors("programmes", _toml(case / "programmes.toml")) == []

    @pytest.mark.parametrize(("change", "where"), [
        ({"x_note": "ghi chú"}, None), ({"note": "?"}, ""), ({"start": "07/11/2023"}, None),
        ({"start": "2023-13"}, "start"), ({"report_within_days": -1}, "report_within_days"),
        ({"id": "KT 2023"}, "id"), ({"kind": None}, "")])
    def test_programme_keys(self, change, where):
        """Unknown keys are refused but x_ ones, dates may be DD/MM/YYYY, ids are the loader's."""
        doc = _toml(EXAMPLES / "kiem-tra-2023" / "programmes.toml")
        entry = {k: v for k, v in {**doc["programme"][0], **change}.items() if v is not None}
        errors = _errors("programmes", {"programme": [entry]})
        if where is None:
            assert errors == []
        else:
            assert [e.split(":")[0] for e in errors] == [f"programme/0/{where}".rstrip("/")]

    def test_a_plugin_method_may_bring_its_keys(self):
        """A criterion whose method is a plugin's may carry that method's own keys."""
        crit = {"id": "c", "points": 5, "method": "tg_bonus", "indicator": "i", "bands": [1]}
        doc = {"id": "s", "title": "t", "source": "s", "year": 2024, "criterion": [crit]}
        assert _errors("criteria", doc) == []
        assert _errors("criteria", {**doc, "criterion": [{**crit, "method": "count"}]})


class TestOutputs:
    @pytest.mark.parametrize("lang", ["vi", "en"])
    @pytest.mark.parametrize("path", DATASETS, ids=lambda p: p.name)
    def test_every_command_on_every_example(self, capsys, path, lang):
        """validate, check, census (and score, explain where there are clusters) all match."""
        runs = [("validate", "validate"), ("check", "check"), ("census", "census")]
        if (path / "clusters.toml").exists():
            runs.append(("score", "score"))
        for command, schema in runs:
            code, out = _json(capsys, command, path, "--format", "json", "--lang", lang)
            assert code == 0 and _errors(schema, out) == [], command
        if (path / "clusters.toml").exists():
            unit = dm.load_dataset(path).clusters[0].members[0]
            code, out = _json(capsys, "explain", path, unit, "--format", "json", "--lang", lang)
            assert code == 0 and _errors("explain", out) == []

    @pytest.mark.parametrize("lang", ["vi", "en"])
    @pytest.mark.parametrize("path", WITH_PROGRAMMES, ids=lambda p: p.name)
    def test_programme(self, capsys, path, lang):
        """`doanmodel programme --format json` on every example with programmes matches, with
        open recommendations, a topic matrix and coverage by level."""
        code, out = _json(capsys, "programme", path, "--format", "json", "--lang", lang,
                          "--as-of", AS_OF)
        assert code == 0 and _errors("programme", out) == []
        # briefings and review conferences are judged by their own rules (docs/programmes.md)
        usual = [p for p in out["programmes"]
                 if p["kind"] not in ("cluster_briefing", "review_conference")]
        assert out["programmes"] and all(p["matrix"] and p["coverage"]["by_level"]
                                         for p in usual)
        assert not usual or any(p["open_recommendations"] for p in usual)

    def test_programmes_are_in_two_examples(self):
        """The programme outputs above are tested on both bundled examples."""
        assert {p.name for p in WITH_PROGRAMMES} >= {"kiem-tra-2023", "tien-giang-2024"}

    def test_synthetic_outputs(self, capsys, synthetic):
        """A dataset crossing 1/7/2025, with members and criteria: every output matches."""
        for command, schema in (("validate", "validate"), ("check", "check"),
                                ("score", "score"), ("census", "census")):
            code, out = _json(capsys, command, synthetic, "--format", "json")
            assert code == 0 and _errors(schema, out) == [], command
            if command == "score":
                unit = out["clusters"][0]["standings"][0]["unit_id"]
        code, out = _json(capsys, "explain", synthetic, unit, "--format", "json")
        assert _errors("explain", out) == []

    def test_synth(self, capsys, tmp_path):
        """`doanmodel synth --format json` matches."""
        code, out = _json(capsys, "synth", tmp_path / "s", "--province", "44", "--year", "2026",
                          "--format", "json")
        assert code == 0 and _errors("synth", out) == [] and out["rows"]["units.csv"] > 0

    def test_plugins(self, capsys):
        """`doanmodel plugins` matches, with and without the installed plugins."""
        for extra in ([], ["--no-plugins"]):
            code, out = _json(capsys, "plugins", "--format", "json", *extra)
            assert code == 0 and _errors("plugins", out) == []

    @pytest.mark.parametrize("case", sorted(p.name for p in (DATA / "bad").iterdir()))
    def test_errors_of_the_bad_corpus(self, capsys, case):
        """Every bad dataset's error JSON matches the errors schema."""
        code, out = _json(capsys, "validate", DATA / "bad" / case, "--format", "json")
        assert code == 2 and _errors("errors", out) == []

    def test_errors_of_arguments(self, capsys):
        """An argument error (an unknown unit, an unknown province) matches too."""
        code, out = _json(capsys, "explain", EXAMPLES / "cum-thi-dua-2023", "H99",
                          "--format", "json")
        assert code == 2 and _errors("errors", out) == []
        code, out = _json(capsys, "synth", "/nonexistent/x", "--province", "Atlantis",
                          "--format", "json")
        assert code == 2 and _errors("errors", out) == []
        code, out = _json(capsys, "programme", EXAMPLES / "kiem-tra-2023", "KT-2099",
                          "--format", "json")
        assert code == 2 and _errors("errors", out) == []

    def test_a_wrong_output_is_caught(self, capsys):
        """The schemas are not vacuous: a rank as text, a missing key, a bad status fail."""
        _, out = _json(capsys, "score", EXAMPLES / "cum-thi-dua-2023", "--format", "json")
        standing = out["clusters"][0]["standings"][0]
        standing["rank"] = "1"
        del out["clusters"][0]["standings"][1]["exact"]
        assert len(_errors("score", out)) == 2
        _, out = _json(capsys, "check", EXAMPLES / "tra-vinh-2019", "--format", "json")
        out["findings"][0]["status"] = "ok"
        assert _errors("check", out)
        _, out = _json(capsys, "programme", EXAMPLES / "kiem-tra-2023", "--format", "json",
                       "--as-of", AS_OF)
        programme = out["programmes"][0]
        programme["matrix"][0]["results"]["chi-tieu"] = "ok"
        del programme["coverage"]["missing"]
        programme["open_recommendations"][0]["overdue_days"] = "184"
        assert len(_errors("programme", out)) == 3


def _raise_zero(ctx):
    return [1 / 0]


class TestPluginFailures:
    """check and score JSON name a failed plugin under `plugin_failures`."""

    @pytest.fixture(name="report")
    def _report(self):
        rule = dm.Rule(id="p1.bad", title=dm.Text("Luật hỏng", "Broken rule"), source="thử",
                       evaluate=_raise_zero)
        bad = make("bad", provinces=["P1"], rules=[rule])
        return plugin_engine(bad).check(tiny_dataset(("P1", "P2")), 2024)

    def test_check(self, report):
        """A failed rule's plugin, package, version, where, kind, error and message validate."""
        out = json.loads(report.to_json())
        assert [(f["plugin"], f["error"]) for f in out["plugin_failures"]] == [
            ("bad", "ZeroDivisionError")]
        assert "traceback" not in out["plugin_failures"][0]
        assert _errors("check", out) == []

    def test_check_with_traceback(self, monkeypatch):
        """With DOANMODEL_DEBUG=1 the failure carries its traceback, which validates too."""
        monkeypatch.setenv("DOANMODEL_DEBUG", "1")
        rule = dm.Rule(id="p1.bad", title=dm.Text("Luật hỏng", "Broken rule"), source="thử",
                       evaluate=_raise_zero)
        report = plugin_engine(make("bad", provinces=["P1"], rules=[rule])).check(
            tiny_dataset(("P1",)), 2024)
        out = json.loads(report.to_json())
        assert "ZeroDivisionError" in out["plugin_failures"][0]["traceback"]
        assert _errors("check", out) == []

    def test_a_wrong_failure_is_caught(self, report):
        """A failure without `where`, or of a kind doanmodel does not know, is refused."""
        out = json.loads(report.to_json())
        del out["plugin_failures"][0]["where"]
        assert len(_errors("check", out)) == 1
        out["plugin_failures"][0].update(where="rule p1.bad", kind="oops")
        assert len(_errors("check", out)) == 1

    def test_plugins_with_a_refused_plugin(self):
        """`plugins` JSON of a plugin refused at load carries its failure (no traceback)."""
        engine = plugin_engine(make("sai", params={"name": "x"}))
        out = json.loads(json.dumps({"plugins": [p.to_dict() for p in engine.plugins]}))
        (row,) = [p for p in out["plugins"] if p["name"] == "sai"]
        assert row["failure"]["kind"] == "contract" and "traceback" not in row["failure"]
        assert _errors("plugins", out) == []

    def test_score_with_a_failure_and_criteria_per_cluster(self):
        """A board whose plugin's scoring method failed validates, and each cluster names the
        criteria set it was scored with (`criteria_id`)."""
        def boom(c, inputs):
            raise RuntimeError("hỏng")

        p1_set = dict(TINY_CRITERIA, id="p1-set", criterion=[
            {"id": "x", "points": 10, "method": "boom", "indicator": "new_members"}])
        bad = make("bad", provinces=["P1"], criteria=[p1_set],
                   methods=[dm.ScoringMethod(name="boom", score=boom)])
        good = make("good", provinces=["P2"], criteria=[dict(TINY_CRITERIA, id="p2-set")])
        ds = attrs.evolve(tiny_dataset(("P1", "P2")), criteria=None)
        out = json.loads(plugin_engine(bad, good).score(ds, 2024).to_json())
        assert [f["where"] for f in out["plugin_failures"]] == ["scoring method boom"]
        assert [c["criteria_id"] for c in out["clusters"]] == ["p2-set"]
        assert _errors("score", out) == []


class TestGenerated:
    @pytest.mark.parametrize(("schema", "cls", "skip"), [
        ("check", dm.Finding, set()),
        ("score", dm.Standing, {"undecided", "award_en"}),  # award_undecided; exact.award
        ("score", dm.CriterionScore, set()),
        ("clusters", dm.Cluster, set()),
        ("criteria", dm.Criterion, {"options", "line"}),
        ("errors", dm.Problem, set()),
        ("check", PluginFailure, set()),
        ("score", PluginFailure, set()),
        ("score", ClusterBoard, set()),
        ("programmes", dm.Recommendation, {"line"}),
        ("programmes", dm.ProgrammeSelector, set()),
        ("programme", UnitRow, set()),
        ("programme", LevelCount, set())])
    def test_every_field_is_in_the_schema(self, schema, cls, skip):
        """The schema follows the attrs class: every field of it is a property."""
        defs = dm.json_schema(schema)["$defs"][cls.__name__]
        props = defs["anyOf"][0]["properties"] if "anyOf" in defs else defs["properties"]
        fields = {f.name for f in attrs.fields(cls)} - skip
        assert fields <= set(props)

    def test_dataset_toml_keys_are_the_metadata_fields(self):
        """dataset.toml's keys are DatasetMeta's fields (plus x_ keys)."""
        schema = dm.json_schema("dataset")
        assert set(schema["properties"]) == {f.name for f in attrs.fields(dm.DatasetMeta)}
        assert schema["additionalProperties"] is False and "^x_" in schema["patternProperties"]

    def test_programmes_toml_keys_are_the_programme_fields(self):
        """A [[programme]] table's keys are Programme's fields, `topic` and `unit` for the
        lists; a unit's are the coverage entry's, `unit` naming it."""
        defs = dm.json_schema("programmes")["$defs"]
        rename = {"topics": "topic", "units": "unit", "unit_id": "unit",
                  "recommendations": "recommendation"}
        for name, cls in (("Programme", dm.Programme), ("Coverage", dm.ProgrammeUnit)):
            fields = {rename.get(f.name, f.name) for f in attrs.fields(cls)} - {"line"}
            assert set(defs[name]["properties"]) == fields, name

    def test_only_what_a_schema_uses_is_defined(self):
        """A schema's $defs are those it refers to: no programme class in the check schema."""
        assert "LevelCount" not in dm.json_schema("check")["$defs"]
        assert "Finding" not in dm.json_schema("programme")["$defs"]
