"""Throw-away plugins for the plugin-machinery tests."""
