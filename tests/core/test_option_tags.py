"""The filter bars' options, built in Python: the same markup the template loop wrote, escaped."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.template import Context, Template

LOOP = Template(
    '{% load i18n %}{% for u in units %}<option value="{{ u.pk }}"'
    "{% if u.pk == selected %} selected{% endif %}>"
    '{{ u.name }}{% if u.valid_to %} ({% translate "đã giải thể" %}){% endif %}</option>{% endfor %}'
    '|{% for value, text in choices %}<option value="{{ value }}"'
    "{% if value == chosen %} selected{% endif %}>"
    "{{ text }}</option>{% endfor %}"
)
TAGS = Template(
    "{% load thidua_format %}{% unit_options units selected %}|{% choice_options choices chosen %}"
)


def test_the_tags_write_what_the_loops_wrote() -> None:
    units = [
        SimpleNamespace(pk=1, name="Sở Y tế", valid_to=None),
        SimpleNamespace(pk=2, name='Xã "A" <cũ> & B', valid_to=dt.date(2025, 6, 30)),
        SimpleNamespace(pk=3, name="UBND xã Tân Lập", valid_to=None),
    ]
    choices = [("female", "Nữ"), ("male", "Nam"), ("<x>", "Khác & <b>")]
    for selected, chosen in ((2, "male"), (None, None), (9, "<x>")):
        context = {"units": units, "selected": selected, "choices": choices, "chosen": chosen}
        assert TAGS.render(Context(context)) == LOOP.render(Context(context))
    marked = TAGS.render(Context({"units": units, "selected": 2, "choices": choices, "chosen": "male"}))
    assert '<option value="2" selected>Xã &quot;A&quot; &lt;cũ&gt; &amp; B (đã giải thể)</option>' in marked
    assert marked.count(" selected") == 2
