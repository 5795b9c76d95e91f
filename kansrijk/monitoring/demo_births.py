"""Demo live births (approximate figures, see data/cbs_births_demo.csv). Idempotent: an upsert."""

from pathlib import Path

from .births import import_births

DEMO_FILE = Path(__file__).parent / "data" / "cbs_births_demo.csv"


def load(context) -> None:
    import_births(DEMO_FILE.read_text(encoding="utf-8"))
