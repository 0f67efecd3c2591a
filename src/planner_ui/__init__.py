"""Streamlit helpers shared by the pages (the planner package itself stays UI-free)."""
