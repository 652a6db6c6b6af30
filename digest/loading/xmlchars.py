"""Characters no XML 1.0 document may hold, and the one function that removes them.

A control character such as U+0001 or ESC in a title or body is harmless in Markdown,
but written into an Atom or RSS feed it makes the whole feed ill-formed, and every feed
reader then rejects it. Such characters carry no meaning in news text, so they are
removed wherever text leaves for another format: front-matter text fields as they are
loaded (so they never reach an HTML attribute), sanitised article HTML, every value of
the feeds and the search records.
"""

from __future__ import annotations

import re

__all__ = ["FORBIDDEN", "xml_safe"]

#: C0 controls but tab, newline and carriage return; DEL and the C1 controls (legal in
#: XML 1.0 but "discouraged" and invalid in HTML); lone surrogates; U+FFFE and U+FFFF.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """`text` without the characters XML 1.0 forbids (and the C1 controls)."""
    return FORBIDDEN.sub("", text) if FORBIDDEN.search(text) else text
