import unicodedata

from django.db import migrations, models

import accounts.models

# As accounts.models was when this was written: names stored before the validator.
REFUSED = {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"}
JOINERS = {"\u200c", "\u200d"}


def one_line(text: str) -> str:
    kept = "".join(
        " " if unicodedata.category(char) in REFUSED and char not in JOINERS else char for char in text
    )
    return " ".join(kept.split())


def make_names_one_line(apps, schema_editor):
    """A name stored with a line break or a control character stopped every email to the
    partner (the header is refused): turn each such character into a space."""
    User = apps.get_model("accounts", "User")
    for user in User.objects.exclude(display_name="").only("pk", "display_name").iterator():
        cleaned = one_line(user.display_name)
        if cleaned != user.display_name:
            User.objects.filter(pk=user.pk).update(display_name=cleaned)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="display_name",
            field=models.CharField(
                max_length=50, validators=[accounts.models.validate_display_name], verbose_name="name"
            ),
        ),
        migrations.RunPython(make_names_one_line, migrations.RunPython.noop),
    ]
