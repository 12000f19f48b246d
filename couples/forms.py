from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import TimeZoneField

from .models import Couple


class CoupleTimeZoneForm(forms.ModelForm):
    time_zone = TimeZoneField(label=_("Time zone"))

    class Meta:
        model = Couple
        fields = ["time_zone"]
