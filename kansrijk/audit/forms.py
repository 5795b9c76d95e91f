from django import forms
from django.utils.translation import gettext_lazy as _


class ClientSearchForm(forms.Form):
    query = forms.CharField(label=_("Last name or BSN of the client"), max_length=150, min_length=2)
    date_of_birth = forms.DateField(
        label=_("Date of birth (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class UserSearchForm(forms.Form):
    user = forms.CharField(label=_("Name or e-mail of the user"), max_length=150, min_length=2)
