from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kansrijk.organisations.models import Organisation, OrganisationKind

from .models import CloseReason


class NurseChoiceForm(forms.Form):
    """Pick a nurse of the organisation, each shown with her current caseload."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    nurse = forms.ChoiceField(label=_("Nurse"), widget=forms.RadioSelect)

    def __init__(self, *args, caseloads=(), exclude=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.nurses = {str(n.pk): n for n in caseloads if n != exclude}
        self.fields["nurse"].choices = [
            (
                pk,
                ngettext("%(name)s — %(count)s open case", "%(name)s — %(count)s open cases", n.open_cases)
                % {"name": n.display_name, "count": n.open_cases},
            )
            for pk, n in self.nurses.items()
        ]

    def clean_nurse(self):
        return self.nurses[self.cleaned_data["nurse"]]


class AssignForm(NurseChoiceForm):
    target_group_checked = forms.BooleanField(
        label=_("I have checked that this woman belongs to the target group of the prenatal home visit."),
        error_messages={"required": _("Check the target group before you assign a nurse.")},
    )
    field_order = ["version", "target_group_checked", "nurse"]


class RejectForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Why is she not in the target group?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class CloseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.ChoiceField(
        label=_("Reason for closing"),
        choices=[("", "—"), *CloseReason.choices],
    )
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class SimpleTransitionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RouteForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    organisation = forms.ModelChoiceField(label=_("JGZ organisation"), queryset=Organisation.objects.none())

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(kind=OrganisationKind.JGZ, region=region)


FORM_FOR_TRANSITION = {"assign": AssignForm, "reject": RejectForm, "close": CloseForm}


def form_for(transition_name: str):
    return FORM_FOR_TRANSITION.get(transition_name, SimpleTransitionForm)


class ReassignForm(NurseChoiceForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nurse"].label = _("Give this case to")
