"""The ``doanmodel`` command line: one module per command family."""
