"""``python -m doanmodel``."""

from .cli._cli import main

raise SystemExit(main())
