"""What the statistical forms 0602–0605 need beyond the plan: the Sở Nội vụ's emulation office as the
province's body doing the work (biểu 0604), its staff and one officer in each commune as the civil
servants doing it (biểu 0605), and the heads and deputies of offices as "lãnh đạo khác từ phó phòng trở
lên" (biểu 0602/0603). Deterministic: derived from the loaded rows in id order."""

from __future__ import annotations

from django.db.models import Max, Q

from thidua.organisation.models import EducationLevel, EmulationBodyKind, Person, PersonCategory, Unit

EMULATION_OFFICE_CODES = ("LC.SNV.TDKT",)
# One education level and one starting year per staff member, taken in turn (ids ascending).
_EDUCATION = (
    EducationLevel.BACHELOR,
    EducationLevel.MASTER,
    EducationLevel.BACHELOR,
    EducationLevel.BACHELOR,
    EducationLevel.DOCTORATE,
    EducationLevel.BELOW_BACHELOR,
)
_SINCE = (2024, 2019, 2012, 2021, 2008, 2016, 2023)
# Every so many staff members one is left without a starting year: the unclassified list has a line.
_MISSING_SINCE_EVERY = 9


def demo_statistics() -> dict[str, int]:
    offices = Unit.objects.filter(code__in=EMULATION_OFFICE_CODES)
    bodies = offices.update(emulation_body=EmulationBodyKind.HOME_AFFAIRS_OFFICE)
    # In a commune the work is one civil servant's side duty: the demo gives it to its latest recruit.
    commune_officers = (
        Person.objects.filter(unit__kind__in=("commune", "ward"), is_active=True)
        .values("unit_id")
        .annotate(last=Max("pk"))
        .values("last")
    )
    staff = list(
        Person.objects.filter(Q(unit__in=offices) | Q(pk__in=commune_officers), is_active=True).order_by("pk")
    )
    for i, person in enumerate(staff):
        person.emulation_work = True
        person.education = _EDUCATION[i % len(_EDUCATION)]
        person.emulation_work_since = (
            None if i % _MISSING_SINCE_EVERY == _MISSING_SINCE_EVERY - 1 else _SINCE[i % len(_SINCE)]
        )
    Person.objects.bulk_update(staff, ["emulation_work", "education", "emulation_work_since"])
    leaders = Person.objects.filter(
        Q(position__startswith="Trưởng phòng") | Q(position__startswith="Phó Trưởng phòng"),
        category__in=(PersonCategory.CIVIL_SERVANT, PersonCategory.PUBLIC_EMPLOYEE),
    ).update(category=PersonCategory.OTHER_LEADER)
    return {"emulation_bodies": bodies, "emulation_staff": len(staff), "other_leaders": leaders}
