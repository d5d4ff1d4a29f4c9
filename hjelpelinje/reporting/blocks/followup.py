"""The `follow_up` block of the statistics (follow-up users and their activities).

A user counts in a year when their consent period (given on .. withdrawn on, open while
not withdrawn) overlaps it. Withdrawn users keep their anonymous record, so they still
count, and a withdrawal never changes a year's figures.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q

from hjelpelinje.followup.models import Activity, FollowUpUser, MailItem, Source, UserInquiry
from hjelpelinje.taxonomy.models import Code


def followup_block(year: int) -> dict[str, Any]:
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    in_year = Q(consent__given_on__lte=last) & (
        Q(consent__withdrawn_on__isnull=True) | Q(consent__withdrawn_on__gte=first)
    )
    users = FollowUpUser.objects.filter(in_year).aggregate(
        users=Count("pk"),
        from_housing_programme=Count("pk", filter=Q(source=Source.HOUSING_PROGRAMME)),
        protected_address_users=Count("pk", filter=Q(has_protected_address=True)),
    )
    new_users = FollowUpUser.objects.filter(consent__given_on__range=(first, last)).count()
    per_code = dict(
        Activity.objects.filter(done_on__range=(first, last))
        .values_list("category__code")
        .annotate(n=Count("pk"))
        .values_list("category__code", "n")
    )
    codes = Code.objects.filter(list="activity").order_by("position", "id")
    return {
        "users": users["users"],
        "new_users": new_users,
        "from_housing_programme": users["from_housing_programme"],
        "user_inquiries": UserInquiry.objects.filter(occurred_on__range=(first, last)).count(),
        "activities": {c.code: per_code.get(c.code, 0) for c in codes},
        "mail_items": MailItem.objects.filter(received_on__range=(first, last)).count(),
        "protected_address_users": users["protected_address_users"],
    }
