import pytest


@pytest.fixture
def demo_region():
    """The demo's municipalities (Beek, Heerlen, Maastricht) with the demo's cases and history loaded."""
    from io import StringIO

    from django.core.management import call_command

    from kansrijk.organisations.models import Municipality

    call_command("load_demo", stdout=StringIO())
    return tuple(Municipality.objects.filter(region__name="Demo-regio").order_by("name"))
