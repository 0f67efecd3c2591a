"""What every AppTest shares: the sample scenario, opening a page under AppTest, and
reading its metric tiles and messages as the browser shows them."""

import re

from streamlit.testing.v1 import AppTest

from planner.scenario import Scenario
from tests.conftest import ROOT

SAMPLE = Scenario.from_json((ROOT / "sample_data" / "scenario_base.json").read_text())


def page(name: str, timeout: float = 300) -> AppTest:
    """``views/<name>.py`` under AppTest, not run yet."""
    return AppTest.from_file(str(ROOT / "views" / f"{name}.py"), default_timeout=timeout)


def open_page(name: str, scenario=None, timeout=300, state_values=None) -> AppTest:
    """Run ``views/<name>.py`` once (with ``scenario`` active and ``state_values`` in the
    session) and check it did not fail."""
    app = page(name, timeout)
    if scenario is not None:
        app.session_state["scenario"] = scenario
    for key, value in (state_values or {}).items():
        app.session_state[key] = value
    app.run()
    assert not app.exception, app.exception
    return app


def metric(app: AppTest, label: str) -> str:
    return next(m.value for m in app.metric if m.label == label)


def shown(markdown: str) -> str:
    """Message text as the browser shows it: AppTest gives the Markdown source, where user
    text is escaped (``Saved\\: version 1`` reads "Saved: version 1")."""
    return re.sub(r"\\([\\`*_{}\[\]<>#!|~$:.+-])", r"\1", markdown)
