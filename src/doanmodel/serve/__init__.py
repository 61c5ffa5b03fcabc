"""
``doanmodel serve``: the HTTP API (docs/serve.md), on Starlette and uvicorn (the ``serve`` extra).

Each ``POST`` runs the CLI command of the same name on the dataset in the body and answers the
JSON that command prints with ``--format json``. Above the command line in the layering: it may
import the engine, the renderers and the CLI's helpers; nothing in doanmodel imports it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> object:
    if name == "create_app":  # starlette is imported only when the app is asked for
        from ._app import create_app  # noqa: PLC0415

        return create_app
    raise AttributeError(name)
