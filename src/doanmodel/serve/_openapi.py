"""
The OpenAPI 3.1 description of the server (``GET /openapi.json``), generated from the CLI's own
parsers (one query parameter per option) and doanmodel's own JSON Schemas (one component each,
as ``doanmodel schema NAME`` prints it): nothing is written twice.
"""

from __future__ import annotations

import argparse
from typing import Any

from ._body import JSON, XLSX, ZIP
from ._run import COMMANDS, QUERY_POSITIONALS, Option, _parser, options, subcommand

__all__ = ["RESPONSE_SCHEMAS", "openapi"]

#: the schema of each command's 200 answer (``doanmodel schema NAME``); others are objects
RESPONSE_SCHEMAS = {"validate": "validate", "check": "check", "score": "score",
                    "explain": "explain", "census": "census", "programme": "programme",
                    "rating": "rating", "sensitivity": "sensitivity", "plugins": "plugins"}


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def _helps(lang: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for action in _parser(lang)._actions:  # noqa: SLF001
        if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
            for choice in action._choices_actions:  # noqa: SLF001
                text = getattr(choice.help, "vi", None) if lang == "vi" else None
                out[choice.dest] = str(text or choice.help or "")
    return out


def _parameter(o: Option) -> dict[str, Any]:
    one: dict[str, Any] = {"type": "string"}
    if o.choices:
        one["enum"] = list(o.choices)
    if o.kind == "flag":
        one = {"type": "boolean"}
    schema = {"type": "array", "items": one} if o.kind == "multi" else one
    out = {"name": o.name, "in": "query", "required": False,
           "description": f"{o.help} (`{o.flag}`)".strip(), "schema": schema}
    if o.kind == "multi":
        out.update(style="form", explode=True)
    return out


def _lang(lang: str) -> dict[str, Any]:
    return {"name": "lang", "in": "query", "required": False,
            "description": "ngôn ngữ của câu trả lời (mặc định: Accept-Language, rồi vi)"
            if lang == "vi" else "the answer's language (default: Accept-Language, then vi)",
            "schema": {"type": "string", "enum": ["vi", "en"]}}


def _errors(lang: str) -> dict[str, Any]:
    said = {
        "400": ("thân hay tham số hỏng (JSON hỏng, sai Content-Type, tùy chọn không hợp lệ)",
                "a broken body or parameter (broken JSON, wrong Content-Type, bad option)"),
        "413": ("thân lớn hơn --max-body", "the body is larger than --max-body"),
        "422": ("bộ dữ liệu có lỗi: danh sách lỗi như CLI in (tệp, dòng, cột, thông báo)",
                "the dataset has problems: the list the CLI gives (file, line, column, message)"),
        "503": ("quá thời hạn --timeout", "past the --timeout limit"),
    }
    return {code: {"description": vi if lang == "vi" else en,
                   "content": {JSON: {"schema": _ref("errors")}}}
            for code, (vi, en) in said.items()}


def _body(lang: str) -> dict[str, Any]:
    binary = {"type": "string", "format": "binary"}
    return {"required": True,
            "description": "bộ dữ liệu: JSON như dm.dataset_to_json ghi, sổ Excel, hoặc zip của "
            "một thư mục dữ liệu" if lang == "vi" else "the dataset: JSON as "
            "dm.dataset_to_json writes it, a workbook, or a zip of a dataset folder",
            "content": {JSON: {"schema": {"type": "object", "required": ["format", "meta",
                                                                        "units"]}},
                        XLSX: {"schema": binary}, ZIP: {"schema": binary}}}


def _ok(name: str, known: set[str], lang: str) -> dict[str, Any]:
    schema = _ref(RESPONSE_SCHEMAS[name]) if RESPONSE_SCHEMAS.get(name) in known else \
        {"type": "object"}
    return {"description": "JSON như `doanmodel " + name + " --format json` in" if lang == "vi"
            else "the JSON `doanmodel " + name + " --format json` prints",
            "content": {JSON: {"schema": schema}}}


def _get(summary: str, schema: dict[str, Any], params: list[dict[str, Any]], lang: str,
         not_found: bool = False) -> dict[str, Any]:
    errors = _errors(lang)
    responses = {"200": {"description": summary, "content": {JSON: {"schema": schema}}},
                 "400": errors["400"]}
    if not_found:
        responses["404"] = {"description": "không có lược đồ tên này" if lang == "vi" else
                            "no schema of that name", "content": errors["400"]["content"]}
    return {"get": {"summary": summary, "parameters": params, "responses": responses}}


def openapi(lang: str, config: Any) -> dict[str, Any]:
    """The OpenAPI document in *lang*."""
    from .._schemas import NAMES, json_schema  # noqa: PLC0415
    from .._version import __version__  # noqa: PLC0415

    known = set(NAMES)
    helps = _helps(lang)
    vi = lang == "vi"
    paths: dict[str, Any] = {}
    for name, positional in COMMANDS.items():
        if subcommand(name, lang) is None:
            continue
        params = [_parameter(o) for o in options(name, lang)] + [_lang(lang)]
        if name in QUERY_POSITIONALS:
            params.insert(0, {"name": QUERY_POSITIONALS[name], "in": "query", "required": False,
                              "schema": {"type": "string"}})
        path = f"/{name}"
        if positional:
            path += "/{" + positional + "}"
            params.insert(0, {"name": positional, "in": "path", "required": True,
                              "schema": {"type": "string"}})
        paths[path] = {"post": {"operationId": name, "summary": helps.get(name, name),
                                "parameters": params, "requestBody": _body(lang),
                                "responses": {"200": _ok(name, known, lang), **_errors(lang)}}}
    plugin_params = [_parameter(o) for o in options("plugins", lang)] + [_lang(lang)]
    paths["/plugins"] = _get(helps.get("plugins", "plugins"), _ref("plugins"), plugin_params,
                             lang)
    paths["/schemas/{name}"] = _get(
        "một JSON Schema của doanmodel" if vi else "one of doanmodel's JSON Schemas",
        {"type": "object"}, [{"name": "name", "in": "path", "required": True,
                              "schema": {"type": "string", "enum": list(NAMES)}}, _lang(lang)],
        lang, not_found=True)
    paths["/schemas"] = _get("các JSON Schema" if vi else "the JSON Schemas", {"type": "object"},
                             [_lang(lang)], lang)
    for name, vi_text, en_text in (
            ("parameters", "các tham số có ngày hiệu lực và nguồn",
             "the dated parameters, with their sources"),
            ("rules", "các quy định", "the compliance rules"),
            ("criteria", "các bộ tiêu chí", "the criteria sets")):
        paths[f"/{name}"] = _get(vi_text if vi else en_text, {"type": "object"},
                                 [p for p in plugin_params if p["name"] in ("no_plugins",
                                                                              "plugin", "lang")],
                                 lang)
    paths["/health"] = _get("máy chủ còn chạy" if vi else "the server is up",
                            {"type": "object", "required": ["status", "version"]}, [], lang)
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {"title": "doanmodel", "version": __version__,
                 "description": ("API HTTP của doanmodel: mỗi câu trả lời là JSON mà lệnh CLI "
                                 "cùng tên in với --format json." if vi else
                                 "doanmodel's HTTP API: each answer is the JSON the CLI command "
                                 "of the same name prints with --format json.")
                 + f" max_body={config.max_body}, timeout={config.timeout:g}s."},
        "paths": paths,
        "components": {"schemas": {n: json_schema(n, lang) for n in NAMES}},
    }
