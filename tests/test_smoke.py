from kansrijk.cases.models import Case, Status

from .conftest import referral_data


def test_midwife_refers_and_planner_sees_it_in_the_queue(world, client, login):
    login(world.midwife)
    response = client.post("/aanmeldingen/nieuw/", referral_data(world))
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.organisation == world.jgz
    assert case.status == Status.RECEIVED
    client.logout()
    login(world.planner)
    assert "Janssen" in client.get("/trajecten/intake/").content.decode()
