"""
A request's dataset, from its body to a path in a private temporary folder: JSON as
``dm.dataset_to_json`` writes it, a workbook, or a zip of a dataset folder. No name from a request
is ever opened: the folder and every file in it are named here; a zip's entries are checked
(traversal, links, special files, count, sizes, compression ratio) before one byte is unpacked,
and unpacking counts the bytes it really writes.
"""

from __future__ import annotations

import json
import os
import stat
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

from ..exceptions import DatasetError, Problem
from ..model._i18n import Text

__all__ = ["JSON", "KINDS", "XLSX", "ZIP", "BadBody", "Limits", "materialise", "place", "public"]

JSON = "application/json"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP = "application/zip"
#: the content types a dataset may come in, and what each is
KINDS = {JSON: "json", XLSX: "xlsx", ZIP: "zip", "application/x-zip-compressed": "zip"}


class BadBody(Exception):  # noqa: N818 - a request answered 400, not a doanmodel error
    """The body is not what its content type says (HTTP 400)."""

    def __init__(self, text: Text, *, line: int = 0, column: str = "") -> None:
        super().__init__(text.en)
        self.text = text
        self.line = line
        self.column = column


class Limits:
    """What a zip (or a workbook, itself a zip) may hold."""

    def __init__(self, max_body: int) -> None:
        #: the unpacked bytes of all entries together
        self.unpacked = max(16 * max_body, 64 << 20)
        #: how much an entry may expand (CSV compresses about 10×)
        self.ratio = 200
        #: how many entries
        self.entries = 10_000


def content_kind(content_type: str | None) -> str | None:
    """``json``, ``xlsx`` or ``zip`` for a request's ``Content-Type``, or ``None``."""
    main = (content_type or "").split(";", 1)[0].strip().lower()
    return KINDS.get(main)


def _problem(file: str, text: Text, column: str = "") -> Problem:
    return Problem(file=file, line=0, column=column, message=text)


def _dataset_json(body: bytes, folder: Path) -> tuple[Path, dict[str, list[str]]]:
    from ..dataset._serialization import dataset_from_dict, write_dataset  # noqa: PLC0415

    try:
        data = json.loads(body.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise BadBody(Text(f"thân yêu cầu không phải UTF-8 (byte {exc.start})",
                           f"the body is not UTF-8 (byte {exc.start})")) from None
    except json.JSONDecodeError as exc:
        raise BadBody(Text(f"JSON hỏng: {exc.msg} (dòng {exc.lineno}, cột {exc.colno})",
                           f"broken JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"),
                      line=exc.lineno, column=str(exc.colno)) from None
    if not isinstance(data, dict):
        raise BadBody(Text("JSON phải là một đối tượng như dm.dataset_to_json ghi",
                           "the JSON must be an object, as dm.dataset_to_json writes it"))
    try:
        ds = dataset_from_dict(data)
    except DatasetError:
        raise
    except Exception as exc:  # noqa: BLE001 - cattrs' errors, a missing key: the data's fault
        raise DatasetError(_locate(data) or _structure_problems(exc, "$")) from None
    write_dataset(ds, folder / "dataset")
    return folder / "dataset", _places(data)


#: the JSON key of what each written file holds, when it is not the file's stem
_TOML_KEYS = {"dataset.toml": "$.meta", "clusters.toml": "$.clusters",
              "criteria.toml": "$.criteria", "programmes.toml": "$.programmes"}


def _places(data: dict[str, Any]) -> dict[str, list[str]]:
    """For each CSV file written from a JSON dataset, the JSON place of its rows (line 2, 3…):
    rows are written in the order of the JSON lists, a unit's versions one row each."""
    out: dict[str, list[str]] = {}
    for key, rows in data.items():
        if not isinstance(rows, list) or key in ("clusters", "programmes"):
            continue
        if key == "units":
            out["units.csv"] = [f"$.units[{i}].versions[{j}]" for i, u in enumerate(rows)
                                for j, _ in enumerate(u.get("versions", ()))]
        else:
            out[f"{key}.csv"] = [f"$.{key}[{i}]" for i in range(len(rows))]
    return out


def place(problem: dict[str, Any], places: dict[str, list[str]]) -> str | None:
    """The JSON place (``$.visits[3].cadre_id``) of a problem the loader found in the folder
    written from a JSON dataset, or ``None``."""
    file, line, column = problem.get("file"), problem.get("line"), problem.get("column") or ""
    if not isinstance(file, str) or not isinstance(line, int):
        return None
    column = column if column.replace("_", "").isalnum() else ""
    if file in _TOML_KEYS:
        return _TOML_KEYS[file] + (f".{column}" if column and file == "dataset.toml" else "")
    rows = places.get(file)
    if rows is None or not 2 <= line < len(rows) + 2:  # noqa: PLR2004 - line 1 is the header
        return None
    field = ("extra." if column.startswith("x_") else "") + column
    return rows[line - 2] + (f".{field}" if field else "")


def _locate(data: dict[str, Any]) -> list[Problem]:
    """The problems of a JSON dataset part by part, each named by its place (``$.units[2]``)."""
    from ..dataset._serialization import _LISTS, _meta_in, converter  # noqa: PLC0415
    from ..model._entities import Cadre, Unit  # noqa: PLC0415

    problems: list[Problem] = []
    for key in ("meta", "units"):
        if key not in data:
            problems.extend(_structure_problems(KeyError(key), "$"))
    try:
        _meta_in(data.get("meta", {}))
    except Exception as exc:  # noqa: BLE001
        problems.extend(_structure_problems(exc, "$.meta"))
    parts = [("units", Unit), ("cadres", Cadre), *_LISTS]
    for key, cls in parts:
        rows = data.get(key, [])
        if not isinstance(rows, list):
            problems.append(_problem("request", Text("cần một danh sách", "a list is needed"),
                                     f"$.{key}"))
            continue
        for i, row in enumerate(rows):
            try:
                converter.structure(row, cls)
            except Exception as exc:  # noqa: BLE001
                problems.extend(_structure_problems(exc, f"$.{key}[{i}]"))
            if len(problems) >= 100:  # noqa: PLR2004 - enough to act on
                return problems
    return problems


def _structure_problems(exc: BaseException, path: str) -> list[Problem]:
    """One problem per wrong place of a JSON dataset, named by its path (``$.units[2].level``)."""
    import cattrs  # noqa: PLC0415

    if isinstance(exc, cattrs.BaseValidationError):
        lines = cattrs.transform_error(exc, path=path)
    elif isinstance(exc, KeyError):
        lines = [f"required key missing @ {path}.{exc.args[0]}"]
    else:
        lines = [f"{type(exc).__name__}: {exc}"]
    out = []
    for line in lines:
        message, _, where = line.rpartition(" @ ")
        message = message or line
        out.append(_problem("request", column=where if _ else "", text=Text(
            f"dữ liệu JSON không hợp lệ: {_vi(message)}", f"invalid dataset JSON: {message}")))
    return out


#: cattrs' messages (``transform_error``) in Vietnamese
_CATTRS_VI = (("required field missing", "thiếu trường bắt buộc"),
              ("required key missing", "thiếu khoá bắt buộc"),
              ("invalid value for type, expected", "giá trị sai kiểu, cần"),
              ("extra fields found", "có trường không được biết"),
              ("invalid type", "sai kiểu"))


def _vi(message: str) -> str:
    for en, vi in _CATTRS_VI:
        if message.startswith(en):
            return vi + message[len(en):]
    return "giá trị không hợp lệ"


def _check_zip(zf: zipfile.ZipFile, limits: Limits, what: str) -> list[zipfile.ZipInfo]:
    """The regular-file entries of *zf*, or :class:`DatasetError` naming each bad entry."""
    problems: list[Problem] = []
    entries = zf.infolist()
    if len(entries) > limits.entries:
        problems.append(_problem(what, Text(f"quá nhiều mục ({len(entries)} > {limits.entries})",
                                            f"too many entries ({len(entries)} > "
                                            f"{limits.entries})")))
    total = 0
    files = []
    for info in entries:
        name = info.filename
        kind = stat.S_IFMT(info.external_attr >> 16)  # 0: a zip tool that says nothing
        pure = PurePosixPath(name.replace("\\", "/"))
        if pure.is_absolute() or ".." in pure.parts or ":" in name or "\x00" in name:
            problems.append(_problem(name, Text("đường dẫn ra ngoài thư mục dữ liệu",
                                                "a path that leaves the dataset folder")))
            continue
        if kind and kind not in (stat.S_IFREG, stat.S_IFDIR):  # a link, a device, a pipe
            problems.append(_problem(name, Text("không phải tệp thường (liên kết hay tệp đặc "
                                                "biệt)", "not a regular file (a link or a "
                                                "special file)")))
            continue
        if info.is_dir():
            continue
        if info.flag_bits & 0x1:
            problems.append(_problem(name, Text("tệp mã hoá", "an encrypted entry")))
            continue
        total += info.file_size
        if info.file_size > limits.ratio * max(info.compress_size, 1) and \
                info.file_size > 1 << 20:
            problems.append(_problem(name, Text(
                f"tỉ lệ nén quá lớn ({info.file_size} byte từ {info.compress_size})",
                f"compression ratio too high ({info.file_size} bytes from "
                f"{info.compress_size})")))
        files.append(info)
    if total > limits.unpacked:
        problems.append(_problem(what, Text(f"giải nén ra quá lớn ({total} > {limits.unpacked} "
                                            "byte)", f"unpacks too large ({total} > "
                                            f"{limits.unpacked} bytes)")))
    if problems:
        raise DatasetError(problems)
    return files


def _open_zip(path: Path, limits: Limits, what: str) -> tuple[zipfile.ZipFile,
                                                              list[zipfile.ZipInfo]]:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise BadBody(Text(f"{what}: không phải tệp zip hợp lệ ({exc})",
                           f"{what}: not a valid zip file ({exc})")) from None
    try:
        return zf, _check_zip(zf, limits, what)
    except BaseException:
        zf.close()
        raise


def _unpack(zf: zipfile.ZipFile, files: list[zipfile.ZipInfo], into: Path,
            limits: Limits) -> None:
    budget = limits.unpacked
    for info in files:
        target = into.joinpath(*PurePosixPath(info.filename.replace("\\", "/")).parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        with zf.open(info) as src, open(target, "xb") as dst:  # noqa: PTH123
            while chunk := src.read(1 << 16):
                budget -= len(chunk)
                if budget < 0:  # the header lied about the size
                    raise DatasetError([_problem(info.filename, Text(
                        "giải nén ra lớn hơn kích thước khai báo",
                        "unpacks larger than its declared size"))])
                dst.write(chunk)


def _dataset_root(folder: Path) -> Path:
    if (folder / "dataset.toml").is_file():
        return folder
    subs = [p for p in folder.iterdir() if p.is_dir() and (p / "dataset.toml").is_file()]
    if len(subs) == 1:
        return subs[0]
    raise DatasetError([_problem("dataset.toml", Text(
        "tệp zip không chứa đúng một thư mục dữ liệu có dataset.toml (ở gốc hoặc trong một "
        "thư mục con)", "the zip holds no single dataset folder with a dataset.toml (at its "
        "root or in one folder)"))])


def materialise(body: bytes, kind: str, folder: Path, max_body: int
                ) -> tuple[Path, dict[str, list[str]]]:
    """
    Write the dataset of *body* (*kind* ``json``, ``xlsx`` or ``zip``) under *folder* (private,
    empty); the path the CLI's loader takes, and for JSON the place of each written row
    (:func:`place`).

    Raises:
        BadBody: the body is not a *kind* at all (HTTP 400).
        DatasetError: it is, but it holds problems (HTTP 422).
    """
    if not body:
        raise BadBody(Text("thân yêu cầu trống: cần một bộ dữ liệu",
                           "the body is empty: a dataset is needed"))
    if kind == "json":
        return _dataset_json(body, folder)
    limits = Limits(max_body)
    name = "dataset.xlsx" if kind == "xlsx" else "dataset.zip"
    packed = folder / name
    fd = os.open(packed, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(body)
    zf, files = _open_zip(packed, limits, name)
    with zf:
        if kind == "xlsx":  # checked here; read by the CLI's workbook reader
            return packed, {}
        out = folder / "dataset"
        out.mkdir(mode=0o700)
        _unpack(zf, files, out, limits)
    packed.unlink()
    return _dataset_root(out), {}


def public(value: Any, folder: str) -> Any:
    """*value* (decoded JSON) with the private *folder* removed from every string."""
    if isinstance(value, str):
        return value.replace(folder + os.sep, "").replace(folder, "")
    if isinstance(value, list):
        return [public(v, folder) for v in value]
    if isinstance(value, dict):
        return {k: public(v, folder) for k, v in value.items()}
    return value
