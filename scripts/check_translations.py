#!/usr/bin/env python
"""Fail when a shipped language misses a translation.

Runs `makemessages` for every shipped language, then looks for untranslated
and fuzzy entries. Source strings are English, so English is complete by
construction; Dutch must be complete. The catalogues are restored afterwards
unless `--update` is given (then they keep the new strings, to translate).
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "kansrijk" / "locale"
MUST_BE_COMPLETE = ["nl"]


def untranslated(po: Path) -> list[str]:
    problems = []
    for flag in ("--untranslated", "--only-fuzzy"):
        out = subprocess.run(
            ["msgattrib", flag, "--no-obsolete", "--no-wrap", str(po)], capture_output=True, text=True, check=True
        ).stdout
        problems += [
            line[len("msgid ") :] for line in out.splitlines() if line.startswith("msgid ") and line != 'msgid ""'
        ]
    return problems


def main() -> int:
    update = "--update" in sys.argv
    backup = Path(tempfile.mkdtemp())
    shutil.copytree(LOCALE, backup / "locale")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kansrijk.settings.test"}
    try:
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "manage.py"),
                "makemessages",
                "-l",
                "nl",
                "-l",
                "en",
                "--no-location",
                "--ignore=.venv/*",
                "-v0",
            ],
            cwd=ROOT / "kansrijk",
            env={**env, "PYTHONPATH": str(ROOT)},
            check=True,
        )
        failed = False
        for lang in MUST_BE_COMPLETE:
            missing = untranslated(LOCALE / lang / "LC_MESSAGES" / "django.po")
            if missing:
                failed = True
                print(f"{lang}: {len(missing)} untranslated or fuzzy strings:")
                for msgid in missing[:40]:
                    print(f"  {msgid}")
        if not failed:
            print("Translations complete: " + ", ".join(MUST_BE_COMPLETE))
        return 1 if failed else 0
    finally:
        if not update:
            shutil.rmtree(LOCALE)
            shutil.copytree(backup / "locale", LOCALE)
        shutil.rmtree(backup)


if __name__ == "__main__":
    sys.exit(main())
