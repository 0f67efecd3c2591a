"""The integration tier: the sample end to end, the command line, the exports and the
store. The sample plan is built once per session, here, for every test that needs it."""

import datetime as dt

import pytest

from planner import plan, sample

TODAY = dt.date(2026, 11, 23)  # the first day a requisition can open in the sample plan


@pytest.fixture(scope="session")
def sample_plan():
    """The sample scenario planned on the sample history and organisation: (result,
    roster, history, organisation)."""
    scenario, _, history, organisation = sample.load_shipped()
    result = plan.build(scenario, history, organisation=organisation, today=TODAY)
    return result, organisation.roster, history, organisation
