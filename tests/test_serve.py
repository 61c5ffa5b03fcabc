"""
``doanmodel serve`` (docs/serve.md), against a real uvicorn on 127.0.0.1 spoken to with httpx:
the answers are the CLI's JSON for the same work, the bad requests get their status and their
problem list, concurrent requests agree, and every answer fits the schema the OpenAPI names.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import doanmodel as dm
from doanmodel._schemas import json_schema
from doanmodel.cli._cli import main
from strategies import tree_dataset, trees

jsonschema = pytest.importorskip("jsonschema")
# httpx is imported when a server starts, not at collection: `import httpx` imports rich.console,
# which another module's test (the progress spinner without rich) must not find already loaded
pytestmark = pytest.mark.skipif(
    any(importlib.util.find_spec(m) is None for m in ("httpx", "starlette", "uvicorn")),
    reason="the serve extra and httpx are not installed")

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
EXAMPLES = ROOT / "examples"
SRC = ROOT / "src"
JSON = "application/json"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP = "application/zip"
SMALL_BODY = 400_000  # --max-body of the "tight" server


# ---------------------------------------------------------------------------- servers
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def _server(*options: str, pythonpath: str = str(SRC)):
    import httpx  # noqa: PLC0415 - see pytestmark

    port = _free_port()
    env = dict(os.environ, PYTHONPATH=pythonpath)
    env.pop("DOANMODEL_DEBUG", None)
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "doanmodel", "serve", "--port", str(port), "--quiet", *options],
        env=env, stdout=subprocess.DEVNULL, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:  # noqa: PLR2004
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                proc.wait()
                log.seek(0)
                pytest.fail(f"the server did not start: {log.read().decode()[-2000:]}")
            time.sleep(0.1)
        with httpx.Client(base_url=base, timeout=60) as client:
            yield client
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture(scope="module")
def api():
    with _server() as client:
        yield client


@pytest.fixture(scope="module")
def tight():
    """A server with a small body limit and a time limit no scoring meets."""
    with _server("--max-body", str(SMALL_BODY), "--timeout", "0.05") as client:
        yield client


@pytest.fixture(scope="module")
def openapi(api):
    return api.get("/openapi.json").json()


# ---------------------------------------------------------------------------- helpers
def cli(*args: object) -> tuple[int, dict]:
    """The CLI's exit code and decoded ``--format json`` stdout, run in this process."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main([str(a) for a in args] + ["--format", "json", "--quiet"])
    return code, json.loads(out.getvalue())


def zipped(folder: Path, prefix: str = "") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(folder.rglob("*")):
            if f.is_file():
                zf.write(f, prefix + f.relative_to(folder).as_posix())
    return buf.getvalue()


def as_json(folder: Path) -> bytes:
    return dm.dataset_to_json(dm.load_dataset(folder)).encode()


def without_dataset(data: dict) -> dict:
    """An error answer without the ``dataset`` key (the CLI's path; the server has none)."""
    if "errors" in data:
        return {**data, "errors": [{k: v for k, v in e.items() if k != "dataset"}
                                   for e in data["errors"]]}
    return data


def same_as_cli(api, command: str, folder: Path, body: bytes, ctype: str, lang: str = "vi",
                **query) -> dict:
    """POST *command* and assert the answer is the CLI's JSON on *folder*; the answer."""
    code, want = cli(command, folder, "--lang", lang,
                     *[f"--{k.replace('_', '-')}={v}" for k, v in query.items()])
    r = api.post(f"/{command}", content=body, headers={"Content-Type": ctype},
                 params={"lang": lang, **query})
    got = r.json()
    assert int(r.headers["x-doanmodel-exit-code"]) == code
    assert without_dataset(got) == without_dataset(want)
    assert r.status_code == (200 if code in (0, 1, 3) else 400)
    assert r.headers["content-language"] == lang
    return got


EXAMPLE_DIRS = sorted(p for p in EXAMPLES.iterdir() if (p / "dataset.toml").is_file())


# ---------------------------------------------------------------------------- same as the CLI
@pytest.mark.parametrize("folder", EXAMPLE_DIRS, ids=lambda p: p.name)
def test_score_and_check_equal_the_cli_on_the_examples(api, folder):
    """Every bundled example, sent as a zip and as dataset JSON: the CLI's very JSON (an
    example without a criteria set for its year gets the CLI's error, as 400)."""
    packed, text = zipped(folder, prefix=folder.name + "/"), as_json(folder)
    for command in ("score", "check"):
        same_as_cli(api, command, folder, packed, ZIP)
        same_as_cli(api, command, folder, text, JSON, lang="en")


def test_the_workbook_example_equals_the_cli(api):
    book = EXAMPLES / "cum-thi-dua-2023.xlsx"
    same_as_cli(api, "score", book, book.read_bytes(), XLSX)
    same_as_cli(api, "check", book, book.read_bytes(), XLSX, lang="en")


def test_options_are_the_cli_options(api):
    folder = EXAMPLES / "cum-thi-dua-2023"
    body = as_json(folder)
    board = same_as_cli(api, "score", folder, body, JSON, cluster="cum-1")
    assert [c["id"] for c in board["clusters"]] == ["cum-1"]
    same_as_cli(api, "check", folder, body, JSON, lang="en", rule="visits.quota")
    code, want = cli("explain", folder, "H01", "--lang", "en")
    r = api.post("/explain/H01", content=body, headers={"Content-Type": JSON},
                 params={"lang": "en"})
    assert (r.status_code, r.json()) == (200, want) and code == 0
    code, want = cli("census", folder)
    r = api.post("/census", content=body, headers={"Content-Type": JSON})
    assert (r.status_code, r.json()) == (200, want)


def test_what_if_repeats_query_parameters_as_the_cli_repeats_options(api):
    folder = EXAMPLES / "cum-thi-dua-2023"
    code, want = cli("score", folder, "--weight", "development.new_members=40",
                     "--set", "quality.excellent_share=0.95")
    r = api.post("/score", content=as_json(folder), headers={"Content-Type": JSON},
                 params=[("weight", "development.new_members=40"),
                         ("set", "quality.excellent_share=0.95")])
    assert r.json() == without_dataset(want)
    assert int(r.headers["x-doanmodel-exit-code"]) == code


@settings(max_examples=3, deadline=None)
@given(seed=st.integers(1, 10_000), year=st.sampled_from([2023, 2024]))
def test_generated_datasets_equal_the_cli(api, seed, year):
    """Synthetic datasets (a whole tiny province): /score and /check are the CLI's JSON."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "ds"
        dm.synth(folder, scale="tiny", seed=seed, year=year)
        body = as_json(folder)
        for command in ("score", "check"):
            same_as_cli(api, command, folder, body, JSON)


@settings(max_examples=3, deadline=None)
@given(versions=trees(max_units=12))
def test_generated_trees_check_as_the_cli(api, versions):
    """Generated organisation trees (tests/strategies.py): /check is the CLI's JSON."""
    ds = tree_dataset(versions)
    with tempfile.TemporaryDirectory() as tmp:
        folder = dm.write_dataset(ds, Path(tmp) / "ds")
        same_as_cli(api, "check", folder, dm.dataset_to_json(ds).encode(), JSON, year=2024)


def test_concurrent_requests_give_the_same_answers(api):
    folder = EXAMPLES / "cum-thi-dua-2023"
    _, want_score = cli("score", folder, "--lang", "en")
    _, want_check = cli("check", EXAMPLES / "tra-vinh-2019")
    jobs = [("score", as_json(folder), "en", want_score),
            ("check", as_json(EXAMPLES / "tra-vinh-2019"), "vi", want_check)] * 4

    def post(job):
        command, body, lang, _ = job
        return api.post(f"/{command}", content=body, headers={"Content-Type": JSON},
                        params={"lang": lang}).json()

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(post, jobs))
    assert [a == job[3] for a, job in zip(answers, jobs)] == [True] * len(jobs)


# ---------------------------------------------------------------------------- languages
def test_language_from_accept_language_one_language_per_answer(api):
    body = b'{"format": 1'
    r = api.post("/score", content=body, headers={"Content-Type": JSON,
                                                  "Accept-Language": "en-GB,en;q=0.9,vi;q=0.5"})
    assert r.status_code == 400 and r.headers["content-language"] == "en"
    assert "broken JSON" in r.text and "hỏng" not in r.text
    r = api.post("/score", content=body, headers={"Content-Type": JSON,
                                                  "Accept-Language": "fr, vi;q=0.4, en;q=0.3"})
    assert r.headers["content-language"] == "vi" and "JSON hỏng" in r.text
    r = api.post("/score", content=body, headers={"Content-Type": JSON,
                                                  "Accept-Language": "en"}, params={"lang": "vi"})
    assert r.headers["content-language"] == "vi"
    assert api.get("/rules", params={"lang": "xx"}).status_code == 400


# ---------------------------------------------------------------------------- bad requests
def _errors(r, status):
    assert r.status_code == status, r.text
    data = r.json()
    jsonschema.validate(data, json_schema("errors"))
    return data["errors"]


def test_broken_json_wrong_type_and_empty_body_are_400(api):
    e = _errors(api.post("/check", content=b'{"units": [', headers={"Content-Type": JSON},
                         params={"lang": "en"}), 400)
    assert e[0]["line"] == 1 and "broken JSON" in e[0]["message"]
    e = _errors(api.post("/check", content=b"a,b\n", headers={"Content-Type": "text/csv"},
                         params={"lang": "en"}), 400)
    assert e[0]["column"] == "Content-Type"
    e = _errors(api.post("/check", content=b"", headers={"Content-Type": JSON},
                         params={"lang": "en"}), 400)
    assert "empty" in e[0]["message"]
    _errors(api.post("/check", content=b"[1, 2]", headers={"Content-Type": JSON}), 400)
    _errors(api.post("/check", content=b"\xff\xfe{", headers={"Content-Type": JSON}), 400)
    _errors(api.post("/score", content=b"PK not a zip", headers={"Content-Type": ZIP}), 400)


def test_bad_options_are_400_with_the_cli_message(api):
    body = as_json(EXAMPLES / "cum-thi-dua-2023")
    e = _errors(api.post("/score", content=body, headers={"Content-Type": JSON},
                         params={"yeer": "2023", "lang": "en"}), 400)
    assert e[0]["column"] == "yeer" and "did you mean 'year'" in e[0]["message"]
    e = _errors(api.post("/score", content=body, headers={"Content-Type": JSON},
                         params={"year": "--xlsx=/tmp/x.xlsx", "lang": "en"}), 400)
    assert "--year" in e[0]["message"]
    for name in ("xlsx", "force", "format"):  # nothing is written, the answer is JSON
        _errors(api.post("/score", content=body, headers={"Content-Type": JSON},
                         params={name: "x"}), 400)
    code, want = cli("score", EXAMPLES / "cum-thi-dua-2023", "--cluster", "nope")
    r = api.post("/score", content=body, headers={"Content-Type": JSON},
                 params={"cluster": "nope"})
    assert code == 2 and _errors(r, 400) == want["errors"]
    r = api.post("/explain/-x", content=body, headers={"Content-Type": JSON})
    _errors(r, 400)


def test_a_dataset_with_problems_is_422_with_the_cli_problem_list(api):
    """A broken dataset folder, zipped: the problems the CLI gives (file, line, column)."""
    bad = HERE / "data" / "bad"
    folders = [p for p in sorted(bad.iterdir()) if (p / "dataset.toml").is_file()][:4]
    assert folders
    for folder in folders:
        code, want = cli("validate", folder, "--lang", "en")
        r = api.post("/validate", content=zipped(folder), headers={"Content-Type": ZIP},
                     params={"lang": "en"})
        assert code == 2
        assert _errors(r, 422) == without_dataset(want)["errors"], folder.name


def test_dataset_json_with_problems_is_422_naming_file_line_and_place(api, tmp_path):
    """A JSON dataset is loaded as the CLI loads the folder it stands for: the same problems
    (file, line, column, message), each also with its place in the JSON body."""
    data = json.loads(as_json(EXAMPLES / "tra-vinh-2019"))
    data["visits"][3]["cadre_id"] = "NOPE"
    data["units"][2]["versions"][0]["parent_id"] = "NOPE"
    data["meta"]["year"] = 1700
    r = api.post("/validate", content=json.dumps(data).encode(), headers={"Content-Type": JSON},
                 params={"lang": "en"})
    got = _errors(r, 422)
    assert {(e["file"], e["column"], e.get("path")) for e in got} == {
        ("dataset.toml", "year", "$.meta.year"),
        ("units.csv", "parent_id", "$.units[2].versions[0].parent_id"),
        ("visits.csv", "cadre_id", "$.visits[3].cadre_id")}
    visit = next(e for e in got if e["file"] == "visits.csv")
    assert visit["line"] == 5 and "no cadre 'NOPE'" in visit["message"]  # header + 4th row
    # the same list as the CLI on the folder the JSON stands for, less the JSON places
    folder = dm.write_dataset(dm.dataset_from_json(json.dumps(data)), tmp_path / "ds")
    code, want = cli("validate", folder, "--lang", "en")
    assert code == 2
    assert [{k: v for k, v in e.items() if k != "path"} for e in got] == \
        without_dataset(want)["errors"]


def test_dataset_json_of_the_wrong_shape_is_422_naming_the_place(api):
    e = _errors(api.post("/validate", content=b'{"format": 1, "meta": {"name": "x"}, "units": []}',
                         headers={"Content-Type": JSON}, params={"lang": "en"}), 422)
    assert {x["column"] for x in e} >= {"$.meta.root"}
    assert all(x["file"] == "request" for x in e)


def _zip_of(entries) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in entries:
            zf.writestr(info, data)
    return buf.getvalue()


def test_a_zip_is_checked_before_it_is_unpacked(api, tmp_path):
    toml = (EXAMPLES / "tra-vinh-2019" / "dataset.toml").read_bytes()
    link = zipfile.ZipInfo("d/units.csv")
    link.external_attr = (0o120777 << 16)  # a symbolic link to /etc/passwd
    for entries, where in (
            ([("d/dataset.toml", toml), ("../../evil.txt", b"x")], "../../evil.txt"),
            ([("d/dataset.toml", toml), ("/abs/evil.txt", b"x")], "/abs/evil.txt"),
            ([("d/dataset.toml", toml), (link, b"/etc/passwd")], "d/units.csv"),
            ([("d/dataset.toml", toml), ("d/members.csv", b"0" * (40 << 20))], "d/members.csv"),
    ):
        e = _errors(api.post("/validate", content=_zip_of(entries),
                             headers={"Content-Type": ZIP}, params={"lang": "en"}), 422)
        assert [x["file"] for x in e] == [where]
    assert not Path("/abs/evil.txt").exists()
    e = _errors(api.post("/validate", content=_zip_of([("x/readme.txt", b"hi")]),
                         headers={"Content-Type": ZIP}, params={"lang": "en"}), 422)
    assert "dataset.toml" in e[0]["message"]


def test_no_temporary_folder_is_left_behind(api):
    before = set(Path(tempfile.gettempdir()).glob("doanmodel-serve-*"))
    folder = EXAMPLES / "tra-vinh-2019"
    api.post("/check", content=zipped(folder), headers={"Content-Type": ZIP})
    api.post("/validate", content=_zip_of([("../x", b"x")]), headers={"Content-Type": ZIP})
    assert set(Path(tempfile.gettempdir()).glob("doanmodel-serve-*")) <= before


def test_a_body_over_max_body_is_413_before_it_is_read(tight):
    big = b"{" + b" " * (SMALL_BODY + 10) + b"}"
    e = _errors(tight.post("/score", content=big, headers={"Content-Type": JSON},
                           params={"lang": "en"}), 413)
    assert f"{SMALL_BODY} bytes" in e[0]["message"]

    def chunks():  # no Content-Length: counted while it streams
        for _ in range(SMALL_BODY // 10_000 + 2):
            yield b" " * 10_000

    r = tight.post("/score", content=chunks(), headers={"Content-Type": JSON})
    _errors(r, 413)


def test_past_the_time_limit_is_503_with_a_reason(tight):
    body = as_json(EXAMPLES / "cum-thi-dua-2023")
    e = _errors(tight.post("/sensitivity", content=body, headers={"Content-Type": JSON},
                           params={"draws": "3000", "lang": "en"}), 503)
    assert "took longer than its limit of 0.05 s" in e[0]["message"]
    assert tight.get("/health").status_code == 200  # still serving


def test_unknown_schema_is_404_and_known_ones_are_the_cli_s(api):
    _errors(api.get("/schemas/nope"), 404)
    _errors(api.get("/schemas/--list"), 404)
    assert cli("schema", "score", "--lang", "en")[0] == 0
    _, want = cli("schema", "score", "--lang", "en")
    assert api.get("/schemas/score", params={"lang": "en"}).json() == want
    assert {s["name"] for s in api.get("/schemas").json()["schemas"]} >= {"score", "check"}


# ---------------------------------------------------------------------------- plugin failures
@pytest.fixture(scope="module")
def bad_plugin_site(tmp_path_factory):
    """tests/badplugins' raising plugin, installed as an entry point (a hand-made dist-info)."""
    site = tmp_path_factory.mktemp("site")
    info = site / "doanmodel_badplugins-6.6.6.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: doanmodel-badplugins\n"
                                   "Version: 6.6.6\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(
        "[doanmodel]\nct-raises = doanmodel_badplugins.raises\n", encoding="utf-8")
    return os.pathsep.join([str(SRC), str(site), str(HERE / "badplugins" / "src")])


def test_a_plugin_failure_is_reported_as_the_cli_reports_it(bad_plugin_site, tmp_path):
    from doanmodel.testing import tiny_dataset

    folder = dm.write_dataset(tiny_dataset(("CT", "TV"), seed=2), tmp_path / "ds")
    env = dict(os.environ, PYTHONPATH=bad_plugin_site)
    done = subprocess.run([sys.executable, "-m", "doanmodel", "check", str(folder),
                           "--format", "json", "--lang", "en"], capture_output=True, text=True,
                          env=env, check=False)
    assert done.returncode == 3
    want = json.loads(done.stdout)
    with _server(pythonpath=bad_plugin_site) as client:
        r = client.post("/check", content=as_json(folder), headers={"Content-Type": JSON},
                        params={"lang": "en"})
    assert r.status_code == 200 and r.headers["x-doanmodel-exit-code"] == "3"
    got = r.json()
    assert got == want
    assert [f["plugin"] for f in got["plugin_failures"]] == ["ct-raises"]


# ---------------------------------------------------------------------------- catalogue, OpenAPI
def test_catalogue_endpoints(api):
    params = api.get("/parameters").json()["parameters"]
    quota = next(p for p in params if p["name"] == "visits.min_days")
    assert all(v["source"] and v["from"] for v in quota["values"])
    rules = api.get("/rules", params={"lang": "en"}).json()["rules"]
    assert any(r["id"] == "visits.quota" and r["source"] for r in rules)
    sets = api.get("/criteria").json()["criteria_sets"]
    assert sets and all(c["criteria"] and c["source"] for c in sets)
    _, want = cli("plugins")
    assert api.get("/plugins").json() == want
    assert api.get("/health").json()["status"] == "ok"


def _schema_of(openapi, path, method, status):
    spec = openapi["paths"][path][method]["responses"][str(status)]["content"][JSON]["schema"]
    ref = spec.get("$ref", "")
    return openapi["components"]["schemas"][ref.rsplit("/", 1)[1]] if ref else spec


def test_answers_fit_the_schemas_the_openapi_names(api, openapi):
    assert openapi["openapi"].startswith("3.1")
    assert {"/score", "/check", "/validate", "/explain/{unit_id}", "/census", "/programme",
            "/sensitivity", "/parameters", "/rules", "/criteria", "/plugins",
            "/schemas/{name}", "/health"} <= set(openapi["paths"])
    score = openapi["paths"]["/score"]["post"]
    assert {p["name"] for p in score["parameters"]} >= {"year", "cluster", "lang", "engine",
                                                        "set", "weight", "criteria"}
    assert set(score["requestBody"]["content"]) == {JSON, XLSX, ZIP}
    folder = EXAMPLES / "cum-thi-dua-2023"
    body = as_json(folder)
    calls = [("/score", {}), ("/check", {}), ("/validate", {}), ("/explain/H01", {}),
             ("/census", {}), ("/sensitivity", {"draws": "20"}), ("/score", {"yeer": "1"})]
    for url, query in calls:
        r = api.post(url, content=body, headers={"Content-Type": JSON}, params=query)
        path = "/explain/{unit_id}" if url.startswith("/explain") else url
        jsonschema.Draft202012Validator(_schema_of(openapi, path, "post", r.status_code)
                                        ).validate(r.json())
    _, want = cli("programme", EXAMPLES / "kiem-tra-2023", "KT-2023", "--as-of", "2023-12-31")
    r = api.post("/programme", content=as_json(EXAMPLES / "kiem-tra-2023"),
                 headers={"Content-Type": JSON}, params={"as_of": "2023-12-31", "id": "KT-2023"})
    # the lossless ``exact`` part carries the line of each entry in programmes.toml, and a
    # dataset sent as JSON has its file written anew: all else is the CLI's answer
    assert {k: v for k, v in r.json().items() if k != "exact"} == {
        k: v for k, v in want.items() if k != "exact"}
    jsonschema.Draft202012Validator(_schema_of(openapi, "/programme", "post", r.status_code)
                                    ).validate(r.json())
    for url in ("/plugins", "/parameters", "/rules", "/criteria", "/health"):
        r = api.get(url)
        jsonschema.Draft202012Validator(_schema_of(openapi, url, "get", 200)).validate(r.json())
    for schema in openapi["components"]["schemas"].values():
        jsonschema.Draft202012Validator.check_schema(schema)


def test_openapi_speaks_one_language(api):
    en = api.get("/openapi.json", params={"lang": "en"}).text
    vi = api.get("/openapi.json").text
    assert "score and rank the emulation clusters" in en
    assert "chấm điểm và xếp hạng" in vi and "score and rank the emulation" not in vi


# ---------------------------------------------------------------------------- the command
def test_serve_without_the_extra_is_exit_2_saying_what_to_install():
    code = ("import sys; sys.modules['uvicorn'] = None\n"
            "from doanmodel.cli._cli import main\nsys.exit(main(['serve', '--lang', 'en']))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(SRC)), check=False)
    assert done.returncode == 2
    assert "pip install 'doanmodel[serve]'" in done.stderr and "Traceback" not in done.stderr


def test_serve_binds_to_this_machine_unless_told():
    from doanmodel.cli._cliparser import parser

    args = parser("en").parse_args(["serve"])
    assert (args.host, args.port, args.max_body, args.workers) == ("127.0.0.1", 8000, 32 << 20, 1)
    with pytest.raises(SystemExit), contextlib.redirect_stderr(io.StringIO()):
        parser("en").parse_args(["serve", "--max-body", "0"])


def test_export_writes_the_json_the_api_takes(api, tmp_path):
    out = tmp_path / "tv.json"
    folder = EXAMPLES / "tra-vinh-2019"
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["export", str(folder), str(out), "--lang", "en"]) == 0
        assert main(["export", str(folder), str(out), "--lang", "en"]) == 2  # no --force
    assert dm.dataset_from_json(out.read_text(encoding="utf-8")) == dm.load_dataset(folder)
    same_as_cli(api, "check", folder, out.read_bytes(), JSON)


def test_a_port_in_use_is_exit_2_naming_it(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert f"cannot listen on 127.0.0.1:{port}" in err and "Traceback" not in err


def test_plugin_lines_join_an_answer_that_has_no_plugin_failures():
    """explain's JSON has no plugin_failures: the CLI's stderr lines about them are added."""
    from doanmodel.serve._run import _answer

    err = ("doanmodel: plugin x (pkg 1.0) failed in rule x.r: ZeroDivisionError: division by zero\n"
           "doanmodel: what these plugins contributed was left out of the results; exit code 3\n")
    a = _answer(3, '{"unit_id": "H01"}', err, "en", "/nowhere")
    assert (a.status, a.exit_code) == (200, 3)
    assert json.loads(a.body)["plugin_messages"][0].startswith("plugin x (pkg 1.0) failed in")
    a = _answer(3, '{"plugin_failures": []}', err, "en", "/nowhere")
    assert "plugin_messages" not in json.loads(a.body)


def test_the_garbage_collector_is_on_when_no_command_runs():
    """The loader's and engine's gc pauses, interleaved by threads, never leave it off."""
    import gc

    from doanmodel.serve._run import _call

    body = ["validate", str(EXAMPLES / "tien-giang-2024"), "--format=json", "--lang=en"]
    gc.disable()  # as an interleaving could leave it
    try:
        with ThreadPoolExecutor(4) as pool:
            codes = list(pool.map(lambda _: _call(body, "en")[0], range(8)))
        assert codes == [0] * 8 and gc.isenabled()
    finally:
        gc.enable()


def test_a_bug_is_500_in_the_answer_s_language_and_the_traceback_in_the_log(monkeypatch):
    from doanmodel.serve import _run

    def boom(argv, lang):
        msg = f"oops in {argv[1]}"
        raise RuntimeError(msg)

    monkeypatch.setattr(_run, "_call", boom)
    monkeypatch.setattr(sys, "__stderr__", io.StringIO())
    body = as_json(EXAMPLES / "tien-giang-2024")
    a = _run.run("score", body, "json", [], "en", max_body=1 << 25)
    message = json.loads(a.body)["errors"][0]["message"]
    assert (a.status, a.exit_code) == (500, 70)
    assert message.startswith("internal error: RuntimeError: oops in dataset")  # no private path
    assert "Traceback" in sys.__stderr__.getvalue()
    a = _run.run("score", body, "json", [], "vi", max_body=1 << 25)
    assert json.loads(a.body)["errors"][0]["message"].startswith("lỗi nội bộ:")


def test_rating_equals_the_cli(api):
    """``POST /rating`` with a dataset sent as a zip: the CLI's very JSON and exit code."""
    folder = EXAMPLES / "xep-loai-2024"
    got = same_as_cli(api, "rating", folder, zipped(folder, prefix=folder.name + "/"), ZIP,
                      lang="en")
    assert got["ok"] is False and {f["rule"] for f in got["findings"]} >= {"rating.cap"}
