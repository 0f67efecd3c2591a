"""Support Planner: navigation and the shared sidebar. Each page is one planning stage."""

import streamlit as st

from planner_ui import scenarios

st.set_page_config(
    page_title="Support Planner", page_icon=":material/support_agent:", layout="wide"
)

pages = [
    st.Page("views/data.py", title="Ticket history", icon=":material/table_view:", default=True),
    st.Page("views/forecast.py", title="Volume forecast", icon=":material/trending_up:"),
    st.Page("views/staffing.py", title="Staffing & capacity", icon=":material/groups:"),
    st.Page("views/budget.py", title="Budget", icon=":material/payments:"),
    st.Page("views/org.py", title="Org & career ladder", icon=":material/account_tree:"),
    st.Page("views/review.py", title="Finance review", icon=":material/co_present:"),
]
navigation = st.navigation(pages)

with st.sidebar:
    status_slot = scenarios.sidebar()

navigation.run()
scenarios.status(status_slot)  # the page may have changed the scenario
