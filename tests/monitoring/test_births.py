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
    assert "2 created" in out and "1 row(s) with an unknown code, 2 bad row(s)" in out
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


def test_demo_file_is_the_cbs_export_and_loads_idempotently(world):
    demo_births.load(None)
    demo_births.load(None)
    births = {(b.municipality.cbs_code, b.year): b.count for b in LiveBirths.objects.select_related("municipality")}
    # CBS 37259eng, LiveBornChildren_3 for both sexes together (the file also holds boys and girls apart).
    assert births == {
        **{("GM0935", y): n for y, n in zip(range(2019, 2024), [856, 810, 868, 815, 816], strict=True)},
        **{("GM0917", y): n for y, n in zip(range(2019, 2024), [669, 694, 702, 705, 710], strict=True)},
        **{("GM0888", y): n for y, n in zip(range(2019, 2024), [152, 137, 137, 125, 133], strict=True)},
    }
    # Shown as "(bron: …)" in the plan and the yearly report for the council: in Dutch, naming the table.
    assert set(LiveBirths.objects.values_list("source", flat=True)) == {demo_births.DEMO_SOURCE}
    assert "CBS StatLine 37259" in demo_births.DEMO_SOURCE


def test_demo_file_holds_both_sexes_apart_and_together_and_they_add_up():
    """The rows of boys and girls add up to the row of both, so the file is read as CBS wrote it."""
    import csv

    rows = list(csv.DictReader(demo_births.DEMO_FILE.read_text(encoding="utf-8").splitlines()))
    by_sex: dict = {}
    for row in rows:
        by_sex.setdefault((row["Regions"], row["Periods"]), {})[row["Sex"]] = int(row["LiveBornChildren_3"])
    assert len(by_sex) == 15
    for sexes in by_sex.values():
        assert sexes["T001038"] == sexes["3000"] + sexes["4000"]


STATLINE_37259 = (
    "ID,Sex,Sex Label,Regions,Regions Label,Periods,Periods Label,PopulationOn1January_1,LiveBornChildren_3\n"
    "1,T001038,Total male and female,NL01      ,Nederland,2023JJ00,2023,17811291,167504\n"
    "2,T001038,Total male and female,PV31      ,Limburg (PV),2023JJ00,2023,1118223,9000\n"
    "3,T001038,Total male and female,GM0935    ,Maastricht,2023JJ00,2023,122734,816\n"
    "4,3000,Male,GM0935    ,Maastricht,2023JJ00,2023,58662,425\n"
    "5,4000,Female,GM0935    ,Maastricht,2023JJ00,2023,64072,391\n"
    "6,T001038,Total male and female,GM0917    ,Heerlen,2023JJ00,2023,87122,\n"
)


def test_statline_export_split_by_sex_reads_the_rows_of_both_and_skips_other_regions(world, tmp_path):
    out, err = _run(tmp_path, STATLINE_37259)
    assert LiveBirths.objects.get(municipality__cbs_code="GM0935", year=2023).count == 816
    # The country and the province are not municipalities, boys and girls apart are in the row of both: skipped,
    # not errors. An empty count (CBS has none: a municipality merged that year) is a bad row, named with its line.
    assert "1 created" in out and "4 row(s) of other regions or of one sex only skipped" in out
    assert err == "line 7: no number of births for GM0917 in 2023\n"


def test_a_mistyped_region_code_is_an_error_not_skipped(world):
    result = import_births("Regions,Periods,LiveBornChildren_3\nGX0935,2023JJ00,816\n")
    assert result.errors == [(2, "not a municipality code: 'GX0935'")] and result.skipped == 0


def test_loading_the_demo_again_replaces_an_earlier_demos_approximations(world):
    """Earlier demos shipped approximations for 2021–2025; a database they loaded keeps no estimate."""
    from kansrijk.organisations.models import Municipality

    beek = Municipality.objects.get(cbs_code="GM0888")
    old = "benadering voor de demo, geen CBS-cijfer — vervang door een import uit CBS StatLine (37230ned)"
    LiveBirths.objects.create(municipality=beek, year=2023, count=100, source=old)
    LiveBirths.objects.create(municipality=beek, year=2025, count=98, source=old)
    imported = LiveBirths.objects.create(municipality=beek, year=2024, count=130, source="CBS StatLine 37259ned")
    demo_births.load(None)
    assert LiveBirths.objects.get(municipality=beek, year=2023).count == 133
    assert not LiveBirths.objects.filter(year=2025).exists()
    assert LiveBirths.objects.get(pk=imported.pk).count == 130  # an import of her own is left as it is
    assert set(LiveBirths.objects.exclude(pk=imported.pk).values_list("source", flat=True)) == {demo_births.DEMO_SOURCE}


def test_a_whole_countrys_table_names_the_first_unknown_codes_and_counts_the_rest(world, tmp_path):
    """CBS's table names every municipality; Kansrijk knows those of its regions. Each unknown code is named
    once, the first ten by line, the rest counted in one line: not thousands of lines."""
    rows = [f"GM{9000 + i:04d};X;{year};100" for i in range(12) for year in (2022, 2023)]
    out, err = _run(tmp_path, "RegioS;Regio's_name;Perioden;LevendGeborenKinderen_2\n" + "\n".join(rows) + "\n")
    lines = err.splitlines()
    assert lines[0] == "line 2: unknown municipality code GM9000 (and 1 more row(s))"
    assert len(lines) == 11 and lines[-1].startswith("... and 2 more unknown code(s) in 4 row(s)")
    assert "24 row(s) with an unknown code" in out
