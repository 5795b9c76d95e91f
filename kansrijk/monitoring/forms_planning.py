from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models_planner import CapacityPlan

DECIMALS = [
    "share_vulnerable_pct",
    "acceptance_pct",
    "visits_per_family",
    "hours_per_visit",
    "hours_per_fte",
    "hourly_rate",
    "budget_may",
    "budget_december",
]


class DutchDecimalField(forms.DecimalField):
    """Accepts "12,5", "12.5", "1.300" and "100.000,50" as people type them in the Netherlands."""

    widget = forms.TextInput

    def to_python(self, value):
        if isinstance(value, str):
            text = value.strip().replace(" ", "").replace("€", "").replace("%", "")
            if "," in text:
                text = text.replace(".", "").replace(",", ".")
            elif text.count(".") > 1 or (text.count(".") == 1 and len(text.split(".")[1]) == 3):
                text = text.replace(".", "")  # "1.300" or "100.000" are thousands
            try:
                Decimal(text) if text else None
            except InvalidOperation:
                raise ValidationError(_("Enter a number, for example 12,5."), code="invalid") from None
            value = text
        return super().to_python(value)

    def prepare_value(self, value):
        """A stored number as a Dutch person types it: "9" not "9.00", "2,5" not "2.50", "62000" not
        "62000.00" (no thousands dots, so it reads back the same). What was typed is shown as typed."""
        if isinstance(value, (Decimal, int, float)) and not isinstance(value, bool):
            number = Decimal(str(value)).normalize()
            return format(number, "f").replace(".", ",")
        return super().prepare_value(value)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("step", None)
        attrs["inputmode"] = "decimal"
        return attrs


class CapacityPlanForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = CapacityPlan
        fields = ["expected_births", *DECIMALS, "notes"]
        field_classes = dict.fromkeys(DECIMALS, DutchDecimalField)
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "share_vulnerable_pct": _("Of the expected births, the share of pregnant women in a vulnerable situation."),
            "acceptance_pct": _("Of those referred, the share who accept the home visit."),
            "budget_may": _("The amount for the prenatal home visit in the May circular (euro)."),
            "budget_december": _("The amount in the December circular (euro)."),
            "hourly_rate": _("Euro per nurse hour."),
        }
