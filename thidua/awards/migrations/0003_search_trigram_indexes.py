from django.db import migrations

from thidua.core.pg import trigram_index_operation


class Migration(migrations.Migration):
    dependencies = [("awards", "0002_load_catalogue")]
    operations = [trigram_index_operation("awards_decision")]
