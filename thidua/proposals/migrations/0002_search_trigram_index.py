from django.db import migrations

from thidua.core.pg import trigram_index_operation


class Migration(migrations.Migration):
    dependencies = [("proposals", "0001_initial")]
    operations = [trigram_index_operation("proposals_dossier")]
