from django.db import migrations

from thidua.core.pg import covering_search_index_operation


class Migration(migrations.Migration):
    dependencies = [("organisation", "0002_search_trigram_indexes")]
    operations = [covering_search_index_operation("organisation_person")]
