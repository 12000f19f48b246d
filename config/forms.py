from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

# AUTH_PASSWORD_VALIDATORS, said in one line rather than a list of four rules.
NEW_PASSWORD_RULES = _("At least 8 characters, not only numbers, not a common password, not close to your email.")


class CalmBoundField(BoundField):
    """Every field of every form, allauth's included: a label says what to type, so no
    placeholder repeats it; a code field (8 letters, ALLAUTH_USER_CODE_FORMAT) opens the
    phone's keyboard in capitals and offers the code from the message; a new password's
    rules fit on one line."""

    def build_widget_attrs(self, attrs: dict, widget: forms.Widget | None = None) -> dict:
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        widget.attrs.pop("placeholder", None)
        attrs.pop("placeholder", None)
        if self.name == "code":
            attrs |= {
                "inputmode": "text",
                "autocomplete": "one-time-code",
                "autocapitalize": "characters",
                "spellcheck": "false",
            }
        return attrs

    def __init__(self, form: forms.BaseForm, field: forms.Field, name: str) -> None:
        super().__init__(form, field, name)
        widget = field.widget
        if isinstance(widget, forms.PasswordInput) and widget.attrs.get("autocomplete") == "new-password":
            self.help_text = NEW_PASSWORD_RULES


class FormRenderer(TemplatesSetting):
    """Every form, ours and allauth's, rendered with our field markup (templates/forms/)."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = CalmBoundField
