"""User text shown through Markdown is escaped, so names and file names never become markup.

Only what can start markup is escaped: link and image brackets, emphasis, code, HTML and
autolink angle brackets, headings, tables, strikethrough, LaTeX, ``:`` (emoji, colours and
``https:`` autolinks) and a list marker at the start of a line. Hyphens, dots and brackets
inside a sentence stay as they are, so nothing shows a stray backslash where the text is
not Markdown after all.
"""

import re

_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>#!|~$:])")
_BULLET = re.compile(r"(?m)^(\s*)([-+])")
_NUMBERED = re.compile(r"(?m)^(\s*\d+)\.")


def plain(text: object) -> str:
    """Escape the Markdown and HTML in user-provided text."""
    text = _MARKDOWN.sub(r"\\\1", str(text))
    return _NUMBERED.sub(r"\1\\.", _BULLET.sub(r"\1\\\2", text))
