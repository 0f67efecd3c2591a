"""User text through Markdown: what could become markup is escaped, nothing else."""

from planner_ui.text import plain


def test_links_images_html_and_autolinks_are_escaped():
    assert plain("[x](https:evil.example) ![i](http://a/b.png)") == (
        "\\[x\\](https\\:evil.example) \\!\\[i\\](http\\://a/b.png)"
    )
    assert plain("<img src=x onerror=alert(1)>") == "\\<img src=x onerror=alert(1)\\>"
    assert plain("*a* _b_ `c` ~d~ $e$ |f| #g :red[h]") == (
        "\\*a\\* \\_b\\_ \\`c\\` \\~d\\~ \\$e\\$ \\|f\\| \\#g \\:red\\[h\\]"
    )


def test_ordinary_punctuation_is_left_alone_but_a_list_mark_is_not():
    assert plain("Ana-Maria (Billing) v2.1 + more") == "Ana-Maria (Billing) v2.1 + more"
    assert plain("- item\n1. one\n+ plus") == "\\- item\n1\\. one\n\\+ plus"
