"""``doanmodel serve``: the HTTP API (docs/serve.md); needs the ``serve`` extra."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from ..model._i18n import Text
from ._argparser import Help, OptionError

__all__ = ["DEFAULT_MAX_BODY", "add_parser", "cmd_serve"]

#: 32 MiB: a province's dataset as JSON is a few MiB; a national one is sent as a zip
DEFAULT_MAX_BODY = 32 << 20
INSTALL = "pip install 'doanmodel[serve]'"


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise OptionError(Text(f"{text!r} không phải số nguyên", f"not an integer: {text!r}")
                          ) from None
    if value <= 0:
        raise OptionError(Text(f"cần lớn hơn 0, không phải {text}", f"must be above 0, not {text}"))
    return value


def _port(text: str) -> int:
    value = _positive_int(text)
    if value > 65535:  # noqa: PLR2004
        raise OptionError(Text(f"cổng từ 1 đến 65535, không phải {text}",
                               f"a port is 1 to 65535, not {text}"))
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise OptionError(Text(f"{text!r} không phải một số", f"not a number: {text!r}")) from None
    if not value > 0:
        raise OptionError(Text(f"cần lớn hơn 0, không phải {text}", f"must be above 0, not {text}"))
    return value


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve until interrupted; exit 2 with the install line when the extra is missing."""
    from ._shared import EXIT_INPUT, EXIT_OK, _error  # noqa: PLC0415

    try:
        import starlette  # noqa: F401, PLC0415
        import uvicorn  # noqa: PLC0415
    except ImportError as exc:
        name = (exc.name or "starlette").split(".")[0]
        return _error(Text(f"lệnh serve cần {name}, chưa được cài: {INSTALL}",
                           f"the serve command needs {name}, which is not installed: {INSTALL}"
                           ).get(args.lang), args, EXIT_INPUT)
    from ..serve._app import ENV, Config  # noqa: PLC0415

    refused = _cannot_bind(args.host, args.port)
    if refused is not None:
        return _error(refused.get(args.lang), args, EXIT_INPUT)

    config = Config(max_body=args.max_body, timeout=args.timeout, threads=args.threads)
    os.environ[ENV] = json.dumps({"max_body": config.max_body, "timeout": config.timeout,
                                  "threads": config.threads})  # uvicorn's workers read it
    url = f"http://{args.host}:{args.port}"
    if not args.no_banner:
        sys.stderr.write(
            f"doanmodel serve: listening on {url} (OpenAPI: {url}/openapi.json); Ctrl+C stops\n"
            if args.lang == "en" else
            f"doanmodel serve: đang nghe tại {url} (OpenAPI: {url}/openapi.json); Ctrl+C để "
            "dừng\n")
    try:
        uvicorn.run("doanmodel.serve._app:app_from_env", factory=True, host=args.host,
                    port=args.port, workers=args.workers, log_level="warning",
                    access_log=False, limit_concurrency=max(16, 4 * args.threads))
    except SystemExit as exc:  # uvicorn's own exit (its reason is on the line above)
        if exc.code not in (None, 0):
            return _error(Text("máy chủ đã dừng vì lỗi (xem dòng trên)",
                               "the server stopped on an error (see the line above)"
                               ).get(args.lang), args, EXIT_INPUT)
    return EXIT_OK


def _cannot_bind(host: str, port: int) -> Text | None:
    """Why *host*:*port* cannot be listened on (bad address, port taken), or ``None``."""
    import socket  # noqa: PLC0415

    from ..model._i18n import os_reason  # noqa: PLC0415

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        family, kind, proto, _, address = infos[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except OSError as exc:
        return Text(f"--host/--port: không nghe được tại {host}:{port}: ",
                    f"--host/--port: cannot listen on {host}:{port}: ") + os_reason(exc)
    return None


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:  # noqa: ARG001
    """Register ``serve``: its own options, no dataset and no output format."""
    s = sub.add_parser("serve", help=Help("chạy API HTTP (cần gói serve)",
                                          "run the HTTP API (the serve extra)"))
    s.add_argument("--host", default="127.0.0.1",
                   help=Help("địa chỉ nghe (mặc định 127.0.0.1: chỉ máy này)",
                             "address to bind (default 127.0.0.1: this machine only)"))
    s.add_argument("--port", type=_port, default=8000,
                   help=Help("cổng (mặc định 8000)", "port (default 8000)"))
    s.add_argument("--max-body", type=_positive_int, default=DEFAULT_MAX_BODY, metavar="BYTES",
                   help=Help(f"thân yêu cầu lớn nhất, byte (mặc định {DEFAULT_MAX_BODY}, 32 MiB); "
                             "lớn hơn là 413", f"largest request body in bytes (default "
                             f"{DEFAULT_MAX_BODY}, 32 MiB); above is 413"))
    s.add_argument("--workers", type=_positive_int, default=1, metavar="N",
                   help=Help("số tiến trình (mặc định 1)", "worker processes (default 1)"))
    s.add_argument("--threads", type=_positive_int, default=4, metavar="N",
                   help=Help("số luồng làm việc mỗi tiến trình (mặc định 4)",
                             "worker threads per process (default 4)"))
    s.add_argument("--timeout", type=_seconds, default=60.0, metavar="SECONDS",
                   help=Help("thời hạn một yêu cầu, giây (mặc định 60); quá hạn là 503",
                             "time limit of a request in seconds (default 60); past it, 503"))
    s.add_argument("--lang", choices=["vi", "en"], default="vi",
                   help=Help("ngôn ngữ của dòng khởi động (câu trả lời theo lang= hoặc "
                             "Accept-Language)", "language of the start line (answers follow "
                             "lang= or Accept-Language)"))
    s.add_argument("--quiet", action="store_true", dest="no_banner",
                   help=Help("không in dòng khởi động", "no start line"))
    s.set_defaults(fn=cmd_serve, format="table", quiet=True)  # quiet: no progress spinner
