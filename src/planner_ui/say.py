"""Messages whose text comes from the planner or the user (file names, headers, people,
scenario and author names): shown as text, never as Markdown, links or images."""

from __future__ import annotations

import streamlit as st

from planner_ui.text import plain


def info(body: object, **options):
    return st.info(plain(body), **options)


def warning(body: object, **options):
    return st.warning(plain(body), **options)


def error(body: object, **options):
    return st.error(plain(body), **options)


def success(body: object, **options):
    return st.success(plain(body), **options)


def caption(body: object, **options):
    return st.caption(plain(body), **options)
