"""The demo's live births: CBS figures for its three municipalities, 2019–2023. Idempotent: an upsert.

`data/cbs_37259eng_demo.csv` holds the rows of Maastricht (GM0935), Heerlen (GM0917) and Beek (GM0888) exactly
as they are in an export of CBS StatLine table 37259eng ("Population dynamics; birth, death and migration per
region", column LiveBornChildren_3), kept in the public repository ValenteMendez/population-dynamics-netherlands
(file 250112_CLEAN_population_regional_NL.csv, commit b6758b42, January 2025). This machine cannot reach CBS;
the file is read by the same import as a StatLine export (`import_cbs_births`), which takes the rows of both sexes
together. CBS had not published 2024 there yet: the reach of later years uses 2023 and says so.
"""

from pathlib import Path

from .births import import_births
from .models_births import LiveBirths

DEMO_FILE = Path(__file__).parent / "data" / "cbs_37259eng_demo.csv"
#: Stored with each year and printed as "(bron: …)" in the plan and the yearly report: in Dutch.
DEMO_SOURCE = (
    "CBS StatLine 37259, levend geboren kinderen (mannen en vrouwen); export van tabel 37259eng, januari 2025, "
    "via github.com/ValenteMendez/population-dynamics-netherlands"
)


#: What earlier versions of the demo stored: approximations, 2021–2025. A database loaded by one of them loses
#: them, so that no year's reach is an estimate (the years CBS has are replaced by the upsert).
OLD_APPROXIMATION = "benadering voor de demo, geen CBS-cijfer"


def load(context) -> None:
    LiveBirths.objects.filter(source__startswith=OLD_APPROXIMATION).delete()
    import_births(DEMO_FILE.read_text(encoding="utf-8"), source=DEMO_SOURCE)
