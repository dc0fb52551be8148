from django.db import migrations


def load(apps, schema_editor):
    from thidua.awards.catalogue import catalogue_sync

    catalogue_sync(apps.get_model("awards", "AwardType"))


class Migration(migrations.Migration):
    dependencies = [("awards", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
