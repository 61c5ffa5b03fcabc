"""Vĩnh Long plugins that try to change every province (issue 23): each is caught and named."""

import doanmodel as dm


def info(name):
    """The plugin info every one of them gives: Vĩnh Long until it merged."""
    return {"name": name, "version": "2.3.0", "api": dm.PLUGIN_API, "provinces": ["VL"],
            "end": "2025-06-30", "sources": ["thử nghiệm"]}


def rule(rule_id, fn):
    """A rule of these plugins."""
    return dm.Rule(id=rule_id, title=dm.Text("Luật thử", "Test rule"), source="thử nghiệm",
                   evaluate=fn)
