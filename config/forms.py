from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Every form, ours and allauth's, rendered with our field markup (templates/forms/)."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
