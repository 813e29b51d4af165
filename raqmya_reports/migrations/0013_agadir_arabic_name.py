"""Fill the Arabic name of MA-AGD (Agadir-Ida-Ou-Tanane), which the reference file loaded empty before."""

from django.db import migrations

AGADIR = "MA-AGD"
AGADIR_NAME_AR = "أكادير إداوتنان"


def fill_agadir_name(apps, schema_editor):
    """Set MA-AGD's Arabic name where it is still empty, keeping a name that an operator gave it."""
    province_model = apps.get_model("raqmya_reports", "Province")
    province_model.objects.filter(code=AGADIR, name_ar="").update(name_ar=AGADIR_NAME_AR)


class Migration(migrations.Migration):

    dependencies = [
        ("raqmya_reports", "0012_placement_item_results"),
    ]

    operations = [
        # Reversing keeps the name: it is the one the reference file gives.
        migrations.RunPython(fill_agadir_name, migrations.RunPython.noop),
    ]
