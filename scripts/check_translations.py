#!/usr/bin/env python
"""Fail when a shipped language misses a translation.

Runs `makemessages`, then looks for untranslated and fuzzy entries. Source strings are
English, so English is complete by construction.

- The whole application (`kansrijk/locale`): Dutch must be complete.
- The public desk (`kansrijk/desk/locale`, made from the desk app's files only): Arabic, Turkish,
  Polish and Ukrainian must be complete. The professionals' pages are Dutch and English only, so
  the desk's staff-only files (page editor, questions queue) are left out of those catalogues.

The catalogues are restored afterwards unless `--update` is given (then they keep the new
strings, to translate).
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "kansrijk"
DESK = APP / "desk"

#: (directory makemessages runs in, languages, must be complete, extra ignore patterns)
CATALOGUES = [
    (APP, ["nl", "en"], ["nl"], []),
    (
        DESK,
        ["ar", "tr", "pl", "uk"],
        ["ar", "tr", "pl", "uk"],
        # Staff-only parts of the desk app: shown in Dutch or English only.
        [
            "templates/desk/editor/*",
            "templates/desk/staff/*",
            "templates/desk/questions/queue.html",
            "templates/desk/questions/detail.html",
            "forms_pages.py",
            "admin.py",
            "demo*.py",
            "content/*",
        ],
    ),
]


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
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kansrijk.settings.test", "PYTHONPATH": str(ROOT)}
    backup = Path(tempfile.mkdtemp())
    locales = [(directory / "locale", backup / str(i)) for i, (directory, *_rest) in enumerate(CATALOGUES)]
    for locale, saved in locales:
        if locale.exists():
            shutil.copytree(locale, saved)
    try:
        failed = False
        for directory, languages, complete, ignore in CATALOGUES:
            (directory / "locale").mkdir(exist_ok=True)
            command = [sys.executable, str(ROOT / "manage.py"), "makemessages", "--no-location", "-v0"]
            command += [f"--ignore={pattern}" for pattern in [".venv/*", *ignore]]
            for language in languages:
                command += ["-l", language]
            subprocess.run(command, cwd=directory, env=env, check=True)
            for language in complete:
                missing = untranslated(directory / "locale" / language / "LC_MESSAGES" / "django.po")
                if missing:
                    failed = True
                    where = directory.relative_to(ROOT)
                    print(f"{where} {language}: {len(missing)} untranslated or fuzzy strings:")
                    for msgid in missing[:40]:
                        print(f"  {msgid}")
        if not failed:
            print(
                "Translations complete: "
                + "; ".join(f"{d.relative_to(ROOT)}: {', '.join(c)}" for d, _l, c, _i in CATALOGUES)
            )
        return 1 if failed else 0
    finally:
        if not update:
            for locale, saved in locales:
                shutil.rmtree(locale, ignore_errors=True)
                if saved.exists():
                    shutil.copytree(saved, locale)
        shutil.rmtree(backup)


if __name__ == "__main__":
    sys.exit(main())
