from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "kansrijk.monitoring"
    label = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_delete, post_save, pre_save

        from kansrijk.cases.models import Case
        from kansrijk.cases.signals import case_updated

        from . import monthly
        from .expressions import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="monitoring_sqlite_functions")

        pre_save.connect(monthly.before_case_save, sender=Case, dispatch_uid="monthly_before_case_save")
        post_save.connect(monthly.after_case_save, sender=Case, dispatch_uid="monthly_after_case_save")
        post_delete.connect(monthly.after_case_delete, sender=Case, dispatch_uid="monthly_after_case_delete")
        case_updated.connect(monthly.after_case_update, sender=Case, dispatch_uid="monthly_after_case_update")
