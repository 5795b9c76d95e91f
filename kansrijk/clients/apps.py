from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "kansrijk.clients"
    label = "clients"
