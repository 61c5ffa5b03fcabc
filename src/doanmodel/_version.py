"""The version of doanmodel (read by the build from here, and by ``doanmodel --version``)."""

__version__ = "0.2.0"
