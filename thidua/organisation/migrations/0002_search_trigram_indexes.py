from django.db import migrations

from thidua.core.pg import trigram_index_operation


class Migration(migrations.Migration):
    dependencies = [("organisation", "0001_initial")]
    operations = [
        trigram_index_operation("organisation_person"),
        trigram_index_operation("organisation_unit"),
        trigram_index_operation("organisation_household"),
    ]
