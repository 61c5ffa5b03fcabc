"""The Engine: plugin registration and its boundary, read-only views, the one-way run."""
