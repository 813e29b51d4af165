"""Load Morocco's 12 regions and 75 prefectures/provinces from the app's reference file."""

from django.db import migrations


def load_reference_data(apps, schema_editor):
    """Upsert the regions and provinces with the historical models of this migration."""
    from raqmya_reports.registry.reference import load_divisions  # pylint: disable=import-outside-toplevel

    load_divisions(apps.get_model("raqmya_reports", "Region"), apps.get_model("raqmya_reports", "Province"))


class Migration(migrations.Migration):

    dependencies = [
        ("raqmya_reports", "0001_initial"),
    ]

    operations = [
        # Reversing keeps the rows: beneficiaries may refer to them, and 0001's reversal drops the tables.
        migrations.RunPython(load_reference_data, migrations.RunPython.noop),
    ]
