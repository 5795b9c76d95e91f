"""Import from and export to CSV and XLSX: one column layout, a report of every rejected row."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from kansrijk.audit.models import Action, AuditEntry
from kansrijk.socialmap import importing
from kansrijk.socialmap.importing import COLUMN_KEYS, ImportFileError, export_csv, export_xlsx, offer_row, read_offers
from kansrijk.socialmap.models import Offer
from kansrijk.socialmap.selectors import offers_for_export
from kansrijk.socialmap.services import offer_import

from .. import factories as f
from ..conftest import http_request
from .conftest import make_offer


def row(**overrides) -> dict:
    values = {
        "name": "Mama-maatje",
        "provider": "Stichting Maatje",
        "description": "Een vrijwilliger trekt een jaar op met een jonge moeder.",
        "domains": "financial;housing",
        "target_group": "Jonge moeders",
        "phases": "pregnancy;after_birth",
        "municipalities": "GM0935;GM0917",
        "languages": "nl;ar",
        "costs": "contribution",
        "costs_note": "€ 5 per maand",
        "how_to_refer": "Bel de coördinator.",
        "contact_person": "Anouk",
        "phone": "+31 43 000 0000",
        "email": "maatje@example.org",
        "website": "https://example.org/maatje",
        "typical_wait_weeks": "3",
        "recognised_intervention": "yes",
        "last_checked": "",
    }
    values.update(overrides)
    return values


def csv_file(
    rows: list[dict], *, delimiter=",", encoding="utf-8", name="aanbod.csv", header=None
) -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    header = header or COLUMN_KEYS
    writer.writerow(header)
    for r in rows:
        writer.writerow([r.get(key, "") for key in header])
    return SimpleUploadedFile(name, out.getvalue().encode(encoding), content_type="text/csv")


def xlsx_file(rows: list[dict], name="aanbod.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(COLUMN_KEYS)
    for r in rows:
        sheet.append([r.get(key, "") for key in COLUMN_KEYS])
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def run_import(world, upload, *, by=None, dry_run=False):
    parsed = read_offers(upload, world.region)
    return offer_import(request=http_request(by or world.admin), region=world.region, rows=parsed.rows, dry_run=dry_run)


# --- Good rows -------------------------------------------------------------------------------


def test_good_rows_create_offers_with_every_column(world):
    report = run_import(
        world, csv_file([row(), row(name="Steunouders", municipalities="GM0935", phases="after_birth")])
    )

    assert report.rejected == []
    assert len(report.created) == 2
    offer = Offer.objects.get(name="Mama-maatje")
    assert offer.provider_name == "Stichting Maatje"
    assert {d.code for d in offer.domains.all()} == {"financial", "housing"}
    assert {m.cbs_code for m in offer.municipalities.all()} == {"GM0935", "GM0917"}
    assert offer.for_pregnancy and offer.for_after_birth
    assert offer.languages == ["nl", "ar"]
    assert (offer.costs, offer.costs_note) == ("contribution", "€ 5 per maand")
    assert (offer.contact_person, offer.phone, offer.email) == ("Anouk", "+31 43 000 0000", "maatje@example.org")
    assert offer.website == "https://example.org/maatje"
    assert offer.typical_wait_weeks == 3 and offer.recognised_intervention
    assert offer.maintainer == world.admin
    assert offer.last_checked_at is None and offer.needs_check  # the file did not say it was checked
    steunouders = Offer.objects.get(name="Steunouders")
    assert not steunouders.for_pregnancy and steunouders.for_after_birth


def test_a_provider_name_that_is_an_organisation_of_the_region_links_it(world):
    run_import(world, csv_file([row(provider=world.provider_org.name.upper())]))
    assert Offer.objects.get().provider == world.provider_org


def test_cells_are_read_leniently(world):
    report = run_import(
        world,
        csv_file(
            [
                row(
                    domains=" Financial ; ",
                    municipalities="gm0935",
                    languages="NL",
                    costs="FREE",
                    recognised_intervention="nee",
                    website="example.org",
                    typical_wait_weeks="",
                    last_checked="31-01-2025",
                )
            ]
        ),
    )
    assert report.rejected == []
    offer = Offer.objects.get()
    assert offer.website == "https://example.org"
    assert offer.typical_wait_weeks is None and not offer.recognised_intervention
    assert offer.last_checked_at == date(2025, 1, 31) and offer.last_checked_by == world.admin


def test_semicolon_separated_and_windows_encoded_csv_is_read(world):
    report = run_import(world, csv_file([row(costs_note="Ééns per jaar")], delimiter=";", encoding="cp1252"))
    assert report.rejected == []
    assert Offer.objects.get().costs_note == "Ééns per jaar"


def test_columns_in_another_order_and_unknown_columns_are_ignored_and_reported(world):
    header = list(reversed(COLUMN_KEYS)) + ["opmerking"]
    parsed = read_offers(csv_file([row(opmerking="x")], header=header), world.region)
    assert parsed.ignored_columns == ["opmerking"]
    assert parsed.rows[0].errors == []


def test_empty_rows_are_skipped_and_row_numbers_are_as_in_the_spreadsheet(world):
    upload = csv_file([row(), {}, row(name="", provider="Tweede")])
    report = run_import(world, upload)
    assert report.rows_read == 2
    assert report.rejected == [(4, "name", "This field is required.")]


# --- Every rejection reason -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "column", "reason"),
    [
        ({"name": ""}, "name", "This field is required."),
        ({"provider": ""}, "provider", "This field is required."),
        ({"description": ""}, "description", "This field is required."),
        ({"name": "x" * 201}, "name", "at most 200 characters"),
        ({"domains": "financial;onzin"}, "domains", "Unknown or inactive domain code: onzin."),
        ({"domains": ""}, "domains", "This field is required."),
        (
            {"municipalities": "GM0935;GM9999"},
            "municipalities",
            "Unknown CBS code (not a municipality of this region): GM9999.",
        ),
        ({"municipalities": "GM0363"}, "municipalities", "Unknown CBS code"),  # a real code, of another region
        ({"phases": "kraamtijd"}, "phases", "Unknown phase: kraamtijd."),
        ({"languages": "nl;xx"}, "languages", "Unknown language code: xx."),
        ({"costs": "gratis"}, "costs", "Unknown costs code gratis"),
        ({"email": "geen-adres"}, "email", "Enter a valid email address."),
        ({"website": "http://exa mple"}, "website", "Enter a valid URL."),
        ({"typical_wait_weeks": "-1"}, "typical_wait_weeks", "greater than or equal to 0"),
        ({"typical_wait_weeks": "drie"}, "typical_wait_weeks", "Enter a whole number."),
        ({"typical_wait_weeks": "200"}, "typical_wait_weeks", "less than or equal to 104"),
        ({"recognised_intervention": "misschien"}, "recognised_intervention", "Write yes or no."),
        ({"last_checked": "2025-13-45"}, "last_checked", "Enter a valid date."),
        ({"last_checked": (date.today() + timedelta(days=2)).isoformat()}, "last_checked", "lies in the future"),
    ],
)
def test_a_bad_cell_rejects_its_row_with_row_column_and_reason_and_the_good_rows_still_import(
    world, overrides, column, reason
):
    f.MunicipalityFactory(region=f.RegionFactory(name="Elders"), cbs_code="GM0363", name="Amsterdam")
    report = run_import(world, csv_file([row(name="Goed"), row(**overrides)]))

    assert [(r, c) for r, c, _ in report.rejected] == [(3, column)]
    assert reason in report.rejected[0][2]
    assert list(Offer.objects.values_list("name", flat=True)) == ["Goed"]


def test_every_mistake_of_a_row_is_reported(world):
    report = run_import(world, csv_file([row(name="", email="nee", languages="zz")]))
    assert {c for _r, c, _reason in report.rejected} == {"name", "email", "languages"}
    assert report.rejected_row_count == 1


def test_officer_may_not_import_a_municipality_she_does_not_maintain(world):
    report = run_import(world, csv_file([row(municipalities="GM0917")]), by=world.officer)
    assert report.rejected == [(2, "municipalities", "You do not maintain the social map of Heerlen.")]
    assert not Offer.objects.exists()


def test_officer_may_not_update_an_offer_she_does_not_maintain(world):
    make_offer(world, name="Wijkteam Heerlen", provider_name="Gemeente Heerlen", municipalities=[world.heerlen])
    report = run_import(
        world,
        csv_file([row(name="Wijkteam Heerlen", provider="Gemeente Heerlen", municipalities="GM0935")]),
        by=world.officer,
    )
    assert [(r, c) for r, c, _ in report.rejected] == [(2, "name")]
    assert "you do not maintain it" in report.rejected[0][2]


def test_the_same_offer_twice_in_one_file_is_rejected_the_second_time(world):
    report = run_import(world, csv_file([row(), row(name="MAMA-MAATJE", description="Anders")]))
    assert report.rejected == [(3, "name", "The same offer (name and provider) is already on row 2.")]
    assert Offer.objects.get().description.startswith("Een vrijwilliger")


# --- Update, not duplicate -----------------------------------------------------------------------


def test_an_existing_offer_is_updated_not_duplicated(world):
    existing = make_offer(world, name="Mama-maatje", provider_name="Stichting Maatje", description="Oud.")
    report = run_import(world, csv_file([row(name="mama-maatje", provider="stichting maatje", description="Nieuw.")]))

    assert (len(report.created), len(report.updated)) == (0, 1)
    offer = Offer.objects.get()
    assert offer.pk == existing.pk
    assert offer.description == "Nieuw."
    assert offer.version == 2
    assert offer.maintainer == world.admin  # unchanged


def test_an_update_keeps_the_link_to_a_provider_organisation(world):
    make_offer(world, name="Mama-maatje", provider_name="Stichting Maatje", provider=world.provider_org)
    report = run_import(world, csv_file([row()]))
    assert len(report.updated) == 1
    assert Offer.objects.get().provider == world.provider_org


def test_import_moves_the_last_check_forward_only(world):
    offer = make_offer(world, name="Mama-maatje", provider_name="Stichting Maatje", checked_on=date(2025, 6, 1))
    older = run_import(world, csv_file([row(last_checked="2025-01-01", municipalities="GM0935")]), by=world.officer)
    assert older.rejected == [] and len(older.updated) == 1
    assert Offer.objects.get().last_checked_at == date(2025, 6, 1)
    run_import(world, csv_file([row(last_checked="2025-07-01", municipalities="GM0935")]), by=world.officer)
    offer.refresh_from_db()
    assert (offer.last_checked_at, offer.last_checked_by) == (date(2025, 7, 1), world.officer)


def test_an_imported_update_keeps_the_municipalities_an_officer_does_not_maintain(world):
    make_offer(
        world, name="Mama-maatje", provider_name="Stichting Maatje", municipalities=[world.maastricht, world.heerlen]
    )
    report = run_import(world, csv_file([row(municipalities="GM0935")]), by=world.officer)
    assert report.rejected == []
    assert {m.name for m in Offer.objects.get().municipalities.all()} == {"Maastricht", "Heerlen"}


def test_a_trial_import_changes_nothing_and_reports_what_it_would_do(world):
    make_offer(world, name="Mama-maatje", provider_name="Stichting Maatje", description="Oud.")
    audit_rows = AuditEntry.objects.count()
    report = run_import(
        world, csv_file([row(description="Nieuw."), row(name="Nieuw aanbod"), row(name="")]), dry_run=True
    )

    assert report.dry_run
    assert (len(report.created), len(report.updated), report.rejected_row_count) == (1, 1, 1)
    assert list(Offer.objects.values_list("description", flat=True)) == ["Oud."]
    assert AuditEntry.objects.count() == audit_rows


def test_an_import_writes_an_audit_row_per_offer_it_changes(world):
    make_offer(world, name="Mama-maatje", provider_name="Stichting Maatje")
    before = AuditEntry.objects.count()
    run_import(world, csv_file([row(), row(name="Nieuw aanbod"), row(name="")]))
    rows = AuditEntry.objects.order_by("pk")[before:]
    assert [(r.action, r.description.split(" ", 4)[-1]) for r in rows] == [
        (Action.UPDATE, "changed (import)"),
        (Action.CREATE, "created (import)"),
    ]


# --- Whole files that cannot be read -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("aanbod.pdf", b"%PDF-1.4"), "Upload a .csv or .xlsx file."),
        (SimpleUploadedFile("aanbod.xlsx", b"not a workbook"), "not a readable Excel workbook"),
        (SimpleUploadedFile("aanbod.csv", b""), "The file is empty"),
        (SimpleUploadedFile("aanbod.csv", b"name,provider\nx,y\n"), "Missing: description, domains, phases"),
        (SimpleUploadedFile("aanbod.csv", ",".join(COLUMN_KEYS + ["name"]).encode()), "appear twice: name"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_as_a_whole(world, upload, message):
    with pytest.raises(ImportFileError) as error:
        read_offers(upload, world.region)
    assert message in str(error.value)


def test_size_and_row_limits(world, monkeypatch):
    monkeypatch.setattr(importing, "MAX_UPLOAD_BYTES", 100)
    with pytest.raises(ImportFileError, match="too large: at most"):
        read_offers(csv_file([row()]), world.region)
    monkeypatch.setattr(importing, "MAX_UPLOAD_BYTES", 2 * 1024 * 1024)
    monkeypatch.setattr(importing, "MAX_ROWS", 2)
    with pytest.raises(ImportFileError, match="more than 2 offers"):
        read_offers(csv_file([row(name=f"Aanbod {i}") for i in range(3)]), world.region)


# --- Export, and the round trip export → import -------------------------------------------------------


def _snapshot() -> list[list]:
    offers = Offer.objects.prefetch_related("domains", "municipalities").order_by("pk")
    return [[*offer_row(o), o.maintainer_id, o.last_checked_by_id, o.is_active] for o in offers]


@pytest.fixture
def a_few_offers(world):
    make_offer(
        world,
        name="Mama-maatje",
        provider_name="Stichting Maatje",
        domains=world.domains,
        municipalities=[world.maastricht, world.heerlen],
        languages=["nl", "ar", "ti"],
        phone="+31 43 000 0000",
        email="maatje@example.org",
        website="https://example.org/maatje",
        typical_wait_weeks=3,
        recognised_intervention=True,
        costs="insured",
        costs_note="Eigen risico; geldt niet voor kinderen",
        how_to_refer="Bellen.\nOf mailen, met toestemming.",
        checked_on=date(2025, 3, 1),
    )
    make_offer(world, name='=HYPERLINK("http://x")', provider_name="-Gevaarlijk", for_after_birth=False)
    make_offer(world, name="Nooit gecontroleerd", checked_on=None, municipalities=[world.heerlen])


@pytest.mark.parametrize(("write", "filename"), [(export_csv, "export.csv"), (export_xlsx, "export.xlsx")])
def test_round_trip_export_then_import_changes_nothing(world, a_few_offers, write, filename):
    before = _snapshot()
    exported = write(offers_for_export(world.admin))
    report = run_import(world, SimpleUploadedFile(filename, exported))

    assert report.rejected == []
    assert (len(report.created), len(report.updated)) == (0, 3)
    assert _snapshot() == before


def test_officer_round_trip_keeps_offers_shared_with_other_municipalities(world, a_few_offers):
    exported = export_xlsx(offers_for_export(world.officer))
    names = [r[0] for r in load_workbook(io.BytesIO(exported)).active.iter_rows(min_row=2, values_only=True)]
    assert "Nooit gecontroleerd" not in names  # Heerlen only: not hers
    before = _snapshot()
    report = run_import(world, SimpleUploadedFile("export.xlsx", exported), by=world.officer)
    assert report.rejected == [] and len(report.updated) == 2
    assert _snapshot() == before


def test_export_guards_against_spreadsheet_formulas_but_leaves_phone_numbers(world, a_few_offers):
    text = export_csv(offers_for_export(world.admin)).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == COLUMN_KEYS
    by_name = {r[0]: r for r in rows[1:]}
    assert '\'=HYPERLINK("http://x")' in by_name
    assert by_name['\'=HYPERLINK("http://x")'][1] == "'-Gevaarlijk"
    assert by_name["Mama-maatje"][COLUMN_KEYS.index("phone")] == "+31 43 000 0000"
    sheet = load_workbook(io.BytesIO(export_xlsx(offers_for_export(world.admin)))).active
    cells = {row[0].value: row[0] for row in sheet.iter_rows(min_row=2)}
    assert cells['=HYPERLINK("http://x")'].data_type == "s"  # text, not a formula


def test_export_holds_only_active_offers_the_person_maintains(world, a_few_offers):
    make_offer(world, name="Uitgeschakeld", active=False)
    assert [o.name for o in offers_for_export(world.officer)] == ['=HYPERLINK("http://x")', "Mama-maatje"]
    assert len(offers_for_export(world.admin)) == 3


# --- The pages ------------------------------------------------------------------------------------------


def test_import_page_shows_the_report_of_rejected_rows(world, browse):
    upload = csv_file([row(), row(name="Tweede", domains="onzin"), row(name="Derde", email="x")])
    html = browse(world.admin).post("/sociale-kaart/importeren/", {"file": upload}).content.decode()
    assert "Import report" in html
    assert "2 rows were skipped" in html
    assert '<td class="num">3</td><td><code>domains</code></td><td>Unknown or inactive domain code: onzin.</td>' in html
    assert '<td class="num">4</td><td><code>email</code></td>' in html
    assert Offer.objects.filter(name="Mama-maatje").exists()


def test_import_page_refuses_an_unreadable_file_on_the_form(world, browse):
    response = browse(world.officer).post(
        "/sociale-kaart/importeren/", {"file": SimpleUploadedFile("x.csv", b"name\nx\n")}
    )
    assert response.status_code == 200
    assert "Missing: provider" in response.content.decode()


def test_import_page_refuses_a_too_large_file(world, browse, monkeypatch):
    monkeypatch.setattr(importing, "MAX_UPLOAD_BYTES", 50)
    response = browse(world.admin).post("/sociale-kaart/importeren/", {"file": csv_file([row()])})
    assert "The file is too large" in response.content.decode()
    assert not Offer.objects.exists()


def test_import_page_trial_run(world, browse):
    html = (
        browse(world.admin)
        .post("/sociale-kaart/importeren/", {"file": csv_file([row()]), "dry_run": "on"})
        .content.decode()
    )
    assert "nothing has been changed" in html
    assert not Offer.objects.exists()


@pytest.mark.parametrize(
    ("url", "content_type", "extension"),
    [
        ("/sociale-kaart/exporteren/csv/", "text/csv; charset=utf-8", "csv"),
        (
            "/sociale-kaart/exporteren/xlsx/",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
    ],
)
def test_export_pages_send_a_file(world, a_few_offers, browse, url, content_type, extension):
    response = browse(world.officer).get(url)
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == (
        f'attachment; filename="sociale-kaart-{timezone.localdate().isoformat()}.{extension}"'
    )
    assert len(response.content) > 100
