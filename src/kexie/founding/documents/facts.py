"""What the documents say, read once from an application. No access checks here: the view has
made them (``permissions.require`` then ``get_founding_application_for_user``)."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from kexie.core.masking import mask_phone
from kexie.enterprises.enums import STATE_OWNED
from kexie.members.enums import Education, MembershipStatus, Office, TitleLevel
from kexie.members.models import Person

from ..enums import CongressStage, Recipient, State
from ..models import Candidacy, CharterVersion, Congress, ElectionResult, Filing, FoundingApplication
from ..permissions import may_see_contacts

OFFICE_ORDER = {value: index for index, value in enumerate(Office.values)}
BEFORE_CONGRESS = frozenset(
    {
        State.DRAFT,
        State.SUBMITTED,
        State.PRE_REVIEW,
        State.RETURNED,
        State.REJECTED,
        State.WITHDRAWN,
        State.APPROVED,
    }
)
BLANK = "＿＿＿＿"


def cn_date(day: datetime.date | datetime.datetime | None) -> str:
    """``2026年5月20日``; a blank to write the date in by hand when there is none yet."""
    if day is None:
        return "　　年　　月　　日"
    if isinstance(day, datetime.datetime):
        day = timezone.localdate(day)
    return f"{day.year}年{day.month}月{day.day}日"


def birth(person: Person) -> str:
    """``1985-07`` as the paper tables write it: ``1985.07``."""
    return person.birth_month.replace("-", ".")


def title_of(person: Person) -> str:
    if person.title_name:
        return person.title_name
    return person.get_title_level_display() if person.title_level else ""


@dataclass
class Facts:
    application: FoundingApplication
    full_phones: bool
    members: list[Person]
    candidacies: list[Candidacy]
    charter: CharterVersion | None
    congress: Congress | None
    results: list[ElectionResult] = field(default_factory=list)
    filings: list[Filing] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.application.association.name

    @property
    def enterprise(self):
        return self.application.enterprise

    @property
    def approver_name(self) -> str:
        approver = self.application.approver
        return approver.name if approver else ""

    def phone(self, value: str) -> str:
        return value if self.full_phones else mask_phone(value)

    def work_and_position(self, person: Person) -> str:
        """工作单位职务: the position; the unit too when it is not the applying enterprise (joint 科协)."""
        if person.enterprise_id and person.enterprise_id != self.application.enterprise_id:
            return f"{person.enterprise.name}{person.position}"
        return person.position

    def candidates_for(self, office: str) -> list[str]:
        return [c.person.name for c in self.candidacies if c.office == office]

    def title_counts(self) -> list[tuple[str, int]]:
        counts = Counter(p.title_level or TitleLevel.NONE for p in self.members)
        return [(str(label), counts[value]) for value, label in TitleLevel.choices]

    def education_counts(self) -> list[tuple[str, int]]:
        counts = Counter(p.education for p in self.members)
        rows = [(str(label), counts[value]) for value, label in Education.choices]
        if counts[""]:
            rows.append(("未填写", counts[""]))
        return rows

    def titled(self) -> dict[str, int]:
        """S&T workers among the members by title: 高级 (正高 and 副高), 中级, 初级."""
        counts = Counter(p.title_level for p in self.members)
        return {
            "高级": counts[TitleLevel.SENIOR] + counts[TitleLevel.ASSOCIATE_SENIOR],
            "中级": counts[TitleLevel.INTERMEDIATE],
            "初级": counts[TitleLevel.JUNIOR],
        }

    @property
    def adopted(self) -> bool:
        return self.application.state not in BEFORE_CONGRESS

    def stage(self, stage: str) -> list[ElectionResult]:
        results = [r for r in self.results if r.stage == stage]
        if stage == CongressStage.OFFICERS:
            results.sort(key=lambda r: (OFFICE_ORDER.get(r.office, 99), -r.votes_for, r.pk))
        return results

    def recipients(self) -> list[tuple[str, str, str]]:
        """Who receives the filing: (recipient, submitted, acknowledged). Before it is submitted,
        the recipients the filing will go to (the same rule as ``services.submit_filing``)."""
        region = self.application.approver.region if self.application.approver else None
        place = region.name if region else ""

        def label(recipient: str) -> str:
            if recipient == Recipient.KEXIE:
                return self.approver_name or str(Recipient(recipient).label)
            return f"{place}{Recipient(recipient).label}"

        if self.filings:
            return [
                (
                    label(f.recipient),
                    cn_date(f.submitted_at),
                    cn_date(f.acknowledged_at) if f.acknowledged_at else "",
                )
                for f in self.filings
            ]
        other = Recipient.SASAC if self.enterprise.ownership in STATE_OWNED else Recipient.ACFIC
        return [(label(r), "", "") for r in (Recipient.KEXIE, other)]


def collect(application: FoundingApplication, *, viewer) -> Facts:
    association = application.association
    live = Q(status=MembershipStatus.FOUNDING)
    if association.founded_on:  # after filing the founding members are members: those of the congress
        live |= Q(status=MembershipStatus.APPROVED, joined_on=association.founded_on)
    members = [
        m.person
        for m in association.memberships.filter(live).select_related("person__enterprise").order_by("id")
    ]
    candidacies = sorted(
        application.candidacies.select_related("person__enterprise"),
        key=lambda c: (OFFICE_ORDER.get(c.office, 99), c.pk),
    )
    congress = Congress.objects.filter(application=application).first()
    results = list(congress.results.select_related("person").order_by("id")) if congress else []
    return Facts(
        application=application,
        full_phones=may_see_contacts(viewer, application),
        members=members,
        candidacies=candidacies,
        charter=application.charters.order_by("-version").first(),
        congress=congress,
        results=results,
        filings=sorted(application.filings.all(), key=lambda f: (f.recipient != Recipient.KEXIE, f.pk)),
    )
