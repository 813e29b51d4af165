"""Add the DigComp 2.2 areas and competences and the programme's tracks, and load them from the data files."""

import django.db.models.deletion
from django.db import migrations, models


def load_frameworks(apps, schema_editor):
    """Upsert the areas, competences and tracks with the historical models of this migration."""
    from raqmya_reports.registry.framework import load_digcomp, load_tracks  # pylint: disable=import-outside-toplevel

    load_digcomp(apps.get_model("raqmya_reports", "DigCompArea"), apps.get_model("raqmya_reports", "DigCompCompetence"))
    load_tracks(apps.get_model("raqmya_reports", "ProgrammeTrack"))


class Migration(migrations.Migration):

    dependencies = [
        ('raqmya_reports', '0004_registry_programme'),
    ]

    operations = [
        migrations.CreateModel(
            name='DigCompArea',
            fields=[
                ('name_fr', models.CharField(max_length=191, verbose_name='name in French')),
                ('name_ar', models.CharField(max_length=191, verbose_name='name in Arabic')),
                ('code', models.CharField(max_length=2, primary_key=True, serialize=False, verbose_name='code')),
                ('name_en', models.CharField(max_length=191, verbose_name='name in English')),
            ],
            options={
                'verbose_name': 'DigComp area',
                'verbose_name_plural': 'DigComp areas',
                'ordering': ['code'],
            },
        ),
        migrations.CreateModel(
            name='ProgrammeTrack',
            fields=[
                ('name_fr', models.CharField(max_length=191, verbose_name='name in French')),
                ('name_ar', models.CharField(max_length=191, verbose_name='name in Arabic')),
                ('code', models.CharField(max_length=32, primary_key=True, serialize=False, verbose_name='code')),
            ],
            options={
                'verbose_name': 'training track',
                'verbose_name_plural': 'training tracks',
                'ordering': ['code'],
            },
        ),
        migrations.CreateModel(
            name='DigCompCompetence',
            fields=[
                ('name_fr', models.CharField(max_length=191, verbose_name='name in French')),
                ('name_ar', models.CharField(max_length=191, verbose_name='name in Arabic')),
                ('code', models.CharField(max_length=4, primary_key=True, serialize=False, verbose_name='code')),
                ('name_en', models.CharField(max_length=191, verbose_name='name in English')),
                ('area', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='competences', to='raqmya_reports.digcomparea', verbose_name='area')),
            ],
            options={
                'verbose_name': 'DigComp competence',
                'verbose_name_plural': 'DigComp competences',
                'ordering': ['code'],
            },
        ),
        # Reversing needs no data step: reversing the CreateModel operations drops the tables.
        migrations.RunPython(load_frameworks, migrations.RunPython.noop),
    ]
