"""User text shown through Markdown is escaped, so names and file names never become markup."""

import re

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def plain(text: object) -> str:
    """Escape Markdown and HTML-significant characters in user-provided text."""
    return _MARKDOWN.sub(r"\\\1", str(text))
