"""
The Starlette application of ``doanmodel serve`` (docs/serve.md). Each POST runs one command of
the CLI in a worker thread, bounded in time; its answer is the CLI's ``--format json`` text.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Any

import attrs
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..model._i18n import Text
from . import _catalogue
from ._body import content_kind
from ._run import COMMANDS, Answer, errors_json, run, run_plain, subcommand

__all__ = ["ENV", "Config", "app_from_env", "create_app"]

#: the environment variable that hands the configuration to uvicorn's worker processes
ENV = "DOANMODEL_SERVE_CONFIG"
MIB = 1 << 20


@attrs.frozen
class Config:
    """The server's limits (``doanmodel serve`` options)."""

    #: the largest body accepted, in bytes (413 above it)
    max_body: int = 32 * MIB
    #: seconds a request may take before it is answered 503
    timeout: float = 60.0
    #: worker threads per process doing the work
    threads: int = 4


class _Refused(Exception):  # noqa: N818 - an HTTP answer, raised to leave a handler early
    def __init__(self, status: int, text: Text, column: str = "") -> None:
        super().__init__(text.en)
        self.status, self.text, self.column = status, text, column


def language(request: Request) -> str:
    """``lang=`` (vi or en), else the best of ``Accept-Language``, else Vietnamese."""
    asked = request.query_params.getlist("lang")
    if asked:
        if len(asked) > 1 or asked[0] not in ("vi", "en"):
            raise _Refused(400, Text("lang: cần vi hoặc en", "lang: vi or en"), "lang")
        return asked[0]
    best, best_q = "vi", -1.0
    for part in request.headers.get("accept-language", "").split(","):
        tag, _, params = part.strip().partition(";")
        code = tag.strip().lower().split("-", 1)[0]
        if code not in ("vi", "en"):
            continue
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if q > best_q:
            best, best_q = code, q
    return best


async def read_body(request: Request, limit: int) -> bytes:
    """The body, refused (413) from its ``Content-Length`` or as soon as it streams past *limit*."""
    too_big = Text(f"thân yêu cầu lớn hơn giới hạn {limit} byte (--max-body)",
                   f"the body is larger than the limit of {limit} bytes (--max-body)")
    length = request.headers.get("content-length")
    if length is not None:
        if not length.strip().isdigit():
            raise _Refused(400, Text("Content-Length không hợp lệ", "bad Content-Length"))
        if int(length) > limit:
            raise _Refused(413, too_big)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _Refused(413, too_big)
        chunks.append(chunk)
    return b"".join(chunks)


def _response(answer: Answer, lang: str) -> Response:
    return Response(answer.body.encode("utf-8"), status_code=answer.status,
                    media_type="application/json",
                    headers={"Content-Language": lang,
                             "X-Doanmodel-Exit-Code": str(answer.exit_code)})


def _refusal(exc: _Refused, lang: str) -> Response:
    return _response(Answer(exc.status, errors_json(exc.text.get(lang), exc.column), 2), lang)


class _Server:
    def __init__(self, config: Config) -> None:
        self.config = config
        self.pool = ThreadPoolExecutor(max_workers=config.threads,
                                       thread_name_prefix="doanmodel-serve")

    async def in_thread(self, lang: str, fn: Callable[..., Answer], *args: Any,
                        **kw: Any) -> Answer:
        """*fn* in a worker thread; 503 past the time limit (the thread finishes on its own)."""
        future = self.pool.submit(fn, *args, **kw)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), self.config.timeout)
        except asyncio.TimeoutError:
            text = Text(f"quá thời hạn {self.config.timeout:g} giây cho một yêu cầu (--timeout); "
                        "hãy thử lại sau hoặc gửi một bộ dữ liệu nhỏ hơn",
                        f"the request took longer than its limit of {self.config.timeout:g} s "
                        "(--timeout); try again later or send a smaller dataset")
            return Answer(503, errors_json(text.get(lang)), 70)

    def post(self, command: str) -> Callable[[Request], Awaitable[Response]]:
        async def handle(request: Request) -> Response:
            lang = "vi"
            try:
                lang = language(request)
                if subcommand(command) is None:
                    raise _Refused(501, Text(f"bản doanmodel này chưa có lệnh {command}",
                                             f"this doanmodel has no {command} command"))
                kind = content_kind(request.headers.get("content-type"))
                if kind is None:
                    raise _Refused(400, Text(
                        "Content-Type phải là application/json (bộ dữ liệu như "
                        "dm.dataset_to_json ghi), một sổ Excel .xlsx hoặc application/zip",
                        "Content-Type must be application/json (a dataset as "
                        "dm.dataset_to_json writes it), an .xlsx workbook or application/zip"),
                        "Content-Type")
                body = await read_body(request, self.config.max_body)
            except _Refused as exc:
                return _refusal(exc, lang)
            positional = dict(request.path_params)
            answer = await self.in_thread(lang, run, command, body, kind,
                                          list(request.query_params.multi_items()), lang,
                                          max_body=self.config.max_body, positional=positional)
            return _response(answer, lang)

        return handle

    def plain(self, argv: Callable[[Request], list[str]], not_found: bool = False
              ) -> Callable[[Request], Awaitable[Response]]:
        async def handle(request: Request) -> Response:
            try:
                lang = language(request)
            except _Refused as exc:
                return _refusal(exc, "vi")
            answer = await self.in_thread(lang, run_plain, argv(request), lang,
                                          list(request.query_params.multi_items()), not_found)
            return _response(answer, lang)

        return handle

    def catalogue(self, build: Callable[[Any, str], dict[str, Any]]
                  ) -> Callable[[Request], Awaitable[Response]]:
        def work(lang: str, no_plugins: bool, plugins: list[str]) -> Answer:
            data = build(_catalogue.engine(no_plugins, plugins), lang)
            return Answer(200, json.dumps(data, ensure_ascii=False, indent=2), 0)

        async def handle(request: Request) -> Response:
            try:
                lang = language(request)
                extra = set(request.query_params) - {"lang", "no_plugins", "plugin"}
                if extra:
                    name = sorted(extra)[0]
                    raise _Refused(400, Text(f"tham số không có: {name!r}",
                                             f"unknown parameter: {name!r}"), name)
            except _Refused as exc:
                return _refusal(exc, "vi")
            no_plugins = "no_plugins" in request.query_params and request.query_params[
                "no_plugins"].lower() not in ("0", "false", "no", "off")
            answer = await self.in_thread(lang, work, lang, no_plugins,
                                          request.query_params.getlist("plugin"))
            return _response(answer, lang)

        return handle


def _name(name: str) -> str:
    """A schema name from the URL, never read as an option (the CLI then says it is unknown)."""
    return name if name and not name.startswith("-") else "?" + name


async def _health(request: Request) -> Response:
    from .._version import __version__  # noqa: PLC0415

    return Response(json.dumps({"status": "ok", "version": __version__}),
                    media_type="application/json")


def create_app(config: Config | None = None) -> Starlette:
    """The application, with *config*'s limits."""
    from ._openapi import openapi  # noqa: PLC0415

    server = _Server(config or Config())

    async def spec(request: Request) -> Response:
        try:
            lang = language(request)
        except _Refused as exc:
            return _refusal(exc, "vi")
        text = json.dumps(openapi(lang, server.config), ensure_ascii=False, indent=2)
        return Response(text.encode("utf-8"), media_type="application/json",
                        headers={"Content-Language": lang})

    routes = [Route("/explain/{unit_id}" if name == "explain" else f"/{name}",
                    server.post(name), methods=["POST"]) for name in COMMANDS]
    routes += [
        Route("/plugins", server.plain(lambda r: ["plugins"]), methods=["GET"]),
        Route("/schemas", server.plain(lambda r: ["schema", "--list"]), methods=["GET"]),
        Route("/schemas/{name}", server.plain(
            lambda r: ["schema", _name(r.path_params["name"])], not_found=True), methods=["GET"]),
        Route("/parameters", server.catalogue(lambda e, lang: _catalogue.parameters(e)),
              methods=["GET"]),
        Route("/rules", server.catalogue(_catalogue.rules), methods=["GET"]),
        Route("/criteria", server.catalogue(lambda e, lang: _catalogue.criteria(e)),
              methods=["GET"]),
        Route("/health", _health, methods=["GET"]),
        Route("/openapi.json", spec, methods=["GET"]),
    ]

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        server.pool.shutdown(wait=False, cancel_futures=True)

    return Starlette(routes=routes, lifespan=lifespan)


def app_from_env() -> Starlette:
    """A uvicorn worker's application, configured by ``doanmodel serve`` through :data:`ENV`."""
    raw = os.environ.get(ENV)
    return create_app(Config(**json.loads(raw)) if raw else None)
