"""The NEN 7513 access log: append-only, written in the same transaction as the access."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kansrijk.organisations.models import Role


class Action(models.TextChoices):
    READ = "read", _("Read")
    LIST = "list", _("Shown in a list")
    CREATE = "create", _("Create")
    UPDATE = "update", _("Change")
    SEARCH = "search", _("Search")
    EXPORT = "export", _("Export")
    PRINT = "print", _("Print")


class Outcome(models.TextChoices):
    SUCCESS = "success", _("Allowed")
    DENIED = "denied", _("Denied")


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an audit entry."""


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs):  # type: ignore[override]
        raise AppendOnlyError("The audit log is append-only.")

    def delete(self):  # type: ignore[override]
        raise AppendOnlyError("The audit log is append-only.")


class AuditEntry(models.Model):
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="audit_entries"
    )
    user_label = models.CharField(_("user"), max_length=254)
    role = models.CharField(_("role"), max_length=30, blank=True, choices=Role.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, null=True, related_name="+"
    )
    organisation_label = models.CharField(_("organisation"), max_length=200, blank=True)
    # Plain ids, not foreign keys: the log outlives the dossier it describes.
    client_id = models.BigIntegerField(_("client"), null=True, db_index=True)
    case_id = models.BigIntegerField(_("case"), null=True, db_index=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS)
    description = models.CharField(_("description"), max_length=300)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True)
    path = models.CharField(_("page"), max_length=300, blank=True)
    system = models.CharField(_("system"), max_length=50, default="kansrijk")

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["user", "-at"], name="audit_user_at")]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_label} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The audit log is append-only.")
