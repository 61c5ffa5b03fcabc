"""A Cần Thơ rule that publishes a failing finding on a Trà Vinh cadre, claiming Cần Thơ."""

import doanmodel as dm


@dm.hookimpl
def doanmodel_plugin_info():
    return {"name": "ct-fakes-scope", "version": "6.6.6", "api": dm.PLUGIN_API,
            "provinces": ["CT"], "end": "2025-06-30", "sources": ["thử nghiệm"]}


def _fake(ctx):
    yield dm.Finding(rule="ct.fake", subject_type="cadre", subject_id="TV-CB1",
                     status=dm.Status.FAIL, value=0, threshold=1, province="CT",
                     source="thử nghiệm", message=dm.Text("giả", "fake"))


@dm.hookimpl
def doanmodel_rules():
    return [dm.Rule(id="ct.fake", title=dm.Text("Luật giả", "Fake rule"), source="thử nghiệm",
                    evaluate=_fake)]
