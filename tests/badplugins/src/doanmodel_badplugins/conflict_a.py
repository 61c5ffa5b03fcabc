"""Sets Cần Thơ's minimum visit days to 20 (conflicts with the other one)."""

import doanmodel as dm


@dm.hookimpl
def doanmodel_plugin_info():
    return {"name": "ct-min-a", "version": "6.6.6", "api": dm.PLUGIN_API, "provinces": ["CT"],
            "end": "2025-06-30",
            "sources": ["thử nghiệm"], "overrides": ["visits.min_days"]}


@dm.hookimpl
def doanmodel_parameters():
    return [{"name": "visits.min_days", "from": "2018-01-01", "value": 20,
             "source": "thử nghiệm"}]
