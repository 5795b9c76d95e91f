"""Template hygiene that no page test would notice until a person reads the page."""

import re
from pathlib import Path

import kansrijk

ROOT = Path(kansrijk.__file__).resolve().parent


def test_no_template_comment_spans_lines():
    """`{# … #}` ends at the end of its line: a longer one is printed on the page as text (it was, above every
    figure). Longer comments use {% comment %}."""
    broken = []
    for path in sorted(ROOT.rglob("templates/**/*")):
        if path.suffix not in {".html", ".txt", ".xml", ".svg"}:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for opening in re.finditer(r"\{#", line):
                if "#}" not in line[opening.end() :]:
                    broken.append(f"{path.relative_to(ROOT)}:{number}")
    assert broken == []
