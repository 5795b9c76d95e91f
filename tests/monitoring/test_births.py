from io import StringIO

import pytest
from django.core.management import call_command

from kansrijk.monitoring import demo_births
from kansrijk.monitoring.births import import_births
from kansrijk.monitoring.models import LiveBirths

GOOD = (
    "RegioS;Regio's_name;Perioden;LevendGeborenKinderen_2\n"
    "GM0935   ;Maastricht;2024JJ00;1012\n"
    "GM0917;Heerlen;2024;701\n"
)


def _run(tmp_path, text, *args):
    path = tmp_path / "births.csv"
    path.write_text(text, encoding="utf-8")
    out, err = StringIO(), StringIO()
    call_command("import_cbs_births", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_good_file_with_spaces_and_jj00(world, tmp_path):
    out, err = _run(tmp_path, GOOD)
    assert "2 created" in out and err == ""
    births = {(b.municipality.cbs_code, b.year): b.count for b in LiveBirths.objects.select_related("municipality")}
    assert births == {("GM0935", 2024): 1012, ("GM0917", 2024): 701}
    assert LiveBirths.objects.get(year=2024, municipality__cbs_code="GM0935").source.startswith("CBS StatLine")


def test_comma_separated(world):
    result = import_births("region_code,region_name,period,live_births\nGM0888,Beek,2023,99\n")
    assert result.created == 1 and LiveBirths.objects.get().count == 99


def test_unknown_code_and_bad_number_reported(world, tmp_path):
    text = GOOD + "GM9999;Nowhere;2024;10\nGM0888;Beek;2024;ten\nGM0888;Beek;24;10\n"
    out, err = _run(tmp_path, text)
    assert "line 4: unknown municipality code GM9999" in err
    assert "line 5: not a whole number of births: 'ten'" in err
    assert "line 6: not a year period" in err
    assert "2 created" in out and "1 unknown code(s), 2 bad row(s)" in out
    assert LiveBirths.objects.count() == 2


def test_idempotent_and_update(world, tmp_path):
    _run(tmp_path, GOOD)
    out, _ = _run(tmp_path, GOOD)
    assert "0 created, 0 updated, 2 unchanged" in out
    out, _ = _run(tmp_path, GOOD.replace("701", "705"))
    assert "1 updated" in out
    assert LiveBirths.objects.get(municipality__cbs_code="GM0917").count == 705
    assert LiveBirths.objects.count() == 2


def test_dry_run_writes_nothing(world, tmp_path):
    out, _ = _run(tmp_path, GOOD, "--dry-run")
    assert "Dry run" in out and "2 created" in out
    assert LiveBirths.objects.count() == 0


def test_missing_column_is_an_error(world, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Missing column"):
        _run(tmp_path, "code;name\nGM0935;Maastricht\n")


def test_demo_file_loads_idempotently_and_is_marked_approximate(world):
    demo_births.load(None)
    demo_births.load(None)
    assert LiveBirths.objects.count() == 15
    assert set(LiveBirths.objects.values_list("municipality__cbs_code", flat=True)) == {"GM0935", "GM0917", "GM0888"}
    # Shown as "(bron: …)" in the plan and the yearly report for the council: in Dutch, and saying what it is.
    assert all(
        "benadering voor de demo, geen CBS-cijfer" in s for s in LiveBirths.objects.values_list("source", flat=True)
    )


def test_loading_the_demo_again_replaces_an_older_source_text(world):
    demo_births.load(None)
    LiveBirths.objects.update(source="approximation for the demo — replace by CBS StatLine import")
    demo_births.load(None)
    assert not LiveBirths.objects.filter(source__startswith="approximation").exists()
