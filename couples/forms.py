from django import forms

from accounts.forms import time_zone_choices

from .models import Couple


class CoupleTimeZoneForm(forms.ModelForm):
    time_zone = forms.ChoiceField(choices=time_zone_choices)

    class Meta:
        model = Couple
        fields = ["time_zone"]
