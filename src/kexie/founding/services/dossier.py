"""Opening a founding file and the dossier the preparatory group fills in: the file itself, the
group, the consent document (同意文件) and the charter (versioned)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from kexie.accounts import scoping
from kexie.accounts.enums import Role
from kexie.accounts.models import User
from kexie.accounts.permissions import require
from kexie.accounts.services import assign_role
from kexie.associations.enums import JointKind, Kind, Status
from kexie.associations.models import Association
from kexie.associations.services import create_association, rename_association
from kexie.core import audit
from kexie.core.errors import DomainError, Forbidden
from kexie.core.i18n import stored_language
from kexie.core.notify import notify
from kexie.enterprises.permissions import enterprises_for_user, get_enterprise_for_user, owns_enterprise
from kexie.members.cleaning import clean_name, clean_phone, clean_short

from .. import routing
from ..charter import draft_charter
from ..models import CharterVersion, FoundingApplication, PreparatoryGroupMember
from .base import check_editable, detail_url, locked


@transaction.atomic
def open_application(
    *,
    by,
    enterprise_id: int,
    contact_username: str,
    name: str = "",
    joint_kind: str = "",
    covered_ids: Iterable[int] = (),
) -> FoundingApplication:
    """A 科协's staff open the founding file of an enterprise in their area and name the preparatory
    group's contact, who becomes the secretary of the 科协 being founded; or an enterprise user
    starts it for their own enterprise, as its contact.

    With ``joint_kind`` (园区/区域联建/行业统建) it founds a joint 科协 led by the enterprise and
    covering the enterprises ``covered_ids`` (firms with too few S&T workers of their own)."""
    require(by, "founding.open")
    enterprise = get_enterprise_for_user(by, enterprise_id)
    if not scoping.region_in_reach(by, enterprise.region):
        # An enterprise user starts the founding of their own enterprise's 科协 and is its contact.
        if not owns_enterprise(by, enterprise):
            raise Forbidden(gettext("该企业不在您的管辖范围内。"))
        contact_username = (contact_username or "").strip() or by.get_username()
        if contact_username != by.get_username():
            raise DomainError(gettext("企业用户只能由本人担任筹备组联系人。"), field="contact_username")
    covered = _covered_enterprises(by, enterprise, joint_kind, covered_ids)
    live = Association.objects.filter(
        kind=Kind.ENTERPRISE, enterprise=enterprise, status__in=[Status.PREPARING, Status.ACTIVE]
    ).first()
    if live is not None and not joint_kind:
        raise DomainError(
            gettext("企业“%(enterprise)s”已有科协“%(name)s”（%(status)s），不能重复筹建。")
            % {"enterprise": enterprise.name, "name": live.name, "status": live.get_status_display()},
            field="enterprise",
        )
    contact = User.objects.filter(username=(contact_username or "").strip(), is_active=True).first()
    if contact is None:
        raise DomainError(
            gettext("联系人账号“%(username)s”不存在。") % {"username": contact_username},
            field="contact_username",
        )
    default_name = f"{enterprise.region.name}{JointKind(joint_kind).label}" if joint_kind else enterprise.name
    name = (name or "").strip() or f"{default_name}科学技术协会"
    association = create_association(
        by=by,
        kind=Kind.JOINT if joint_kind else Kind.ENTERPRISE,
        joint_kind=joint_kind,
        name=name[:200],
        region=enterprise.region,
        enterprise=enterprise,
        covered=covered,
        status=Status.PREPARING,
    )
    application = FoundingApplication.objects.create(
        association=association,
        enterprise=enterprise,
        created_by=by,
        contact_name=contact.display_name,
        contact_phone=contact.phone,
    )
    route = routing.route_for(enterprise)
    CharterVersion.objects.create(
        application=application,
        version=1,
        created_by=by,
        text=draft_charter(
            association=name,
            enterprise=enterprise.name,
            supervisor=route.approver.name,
            term=association.term_years,
        ),
    )
    assign_role(contact, Role.SECRETARY, by=by, association=association)
    audit.record(
        actor=by, action="create", instance=application, changes={"enterprise": [None, enterprise.name]}
    )
    with stored_language():
        notify(
            [contact],
            text=gettext("您已被指定为“%(name)s”筹备组联系人，请完善筹建材料。") % {"name": name},
            url=detail_url(application),
        )
    return application


def _covered_enterprises(by, lead, joint_kind: str, covered_ids: Iterable[int]) -> list:
    if not joint_kind:
        if covered_ids:
            raise DomainError(gettext("只有联合科协才能覆盖多家企业。"), field="covered")
        return []
    if joint_kind not in JointKind.values:
        raise DomainError(
            gettext("联建方式“%(kind)s”不是有效选项。") % {"kind": joint_kind}, field="joint_kind"
        )
    ids = {int(i) for i in covered_ids} | {lead.pk}
    covered = list(enterprises_for_user(by).filter(pk__in=ids))
    if len(covered) != len(ids):
        raise DomainError(gettext("覆盖企业中有不存在或不在您管辖范围内的企业。"), field="covered")
    if len(covered) < 2:
        raise DomainError(gettext("联合科协须覆盖至少两家企业。"), field="covered")
    return covered


DOSSIER_FIELDS = ("group_leader", "contact_name", "contact_phone", "party_organization", "preparatory_report")


@transaction.atomic
def update_dossier(pk, *, by, data: Mapping[str, Any]) -> FoundingApplication:
    application = locked(by, pk, "founding.edit")
    check_editable(application)
    before = audit.snapshot(application, DOSSIER_FIELDS)
    cleaners = {
        "group_leader": clean_short("group_leader", gettext("筹备组组长")),
        "contact_name": clean_short("contact_name", gettext("联系人")),
        "contact_phone": lambda v: clean_phone(v, field="contact_phone"),
        "party_organization": clean_short("party_organization", gettext("企业党组织"), 100),
        "preparatory_report": clean_short("preparatory_report", gettext("筹备工作报告"), 20000),
    }
    for name, clean in cleaners.items():
        if name in data:
            setattr(application, name, clean(data[name]))
    if "name" in data:
        rename_association(application.association, data["name"], by=by)
    changes = audit.diff(before, audit.snapshot(application, DOSSIER_FIELDS))
    application.save()
    if changes:
        audit.record(actor=by, action="update", instance=application, changes=changes)
    return application


@transaction.atomic
def set_group_members(pk, *, by, members: Iterable[Mapping[str, Any]]) -> list[PreparatoryGroupMember]:
    application = locked(by, pk, "founding.edit")
    check_editable(application)
    rows = []
    for index, raw in enumerate(members, start=1):
        try:
            rows.append(
                PreparatoryGroupMember(
                    application=application,
                    name=clean_name(raw.get("name")),
                    position=clean_short("position", gettext("职务"))(raw.get("position")),
                    phone=clean_phone(raw.get("phone")),
                    is_leader=bool(raw.get("is_leader")),
                )
            )
        except DomainError as exc:
            raise DomainError(
                gettext("筹备组第%(n)d人：%(reason)s") % {"n": index, "reason": exc.message},
                field="group_members",
            ) from exc
    if rows and sum(r.is_leader for r in rows) != 1:
        raise DomainError(gettext("筹备组须有且只有一名组长。"), field="group_members")
    application.group_members.all().delete()
    PreparatoryGroupMember.objects.bulk_create(rows)
    leader = next((r.name for r in rows if r.is_leader), "")
    if leader != application.group_leader:
        application.group_leader = leader
        application.save(update_fields=["group_leader", "updated_at"])
    audit.record(
        actor=by,
        action="update",
        instance=application,
        changes={"group_members": [None, [r.name for r in rows]]},
    )
    return rows


CONSENT_TYPES = {"pdf": b"%PDF", "png": b"\x89PNG", "jpg": b"\xff\xd8\xff", "jpeg": b"\xff\xd8\xff"}


CONSENT_MAX_BYTES = 10 * 1024 * 1024


@transaction.atomic
def upload_consent(pk, *, by, upload) -> FoundingApplication:
    application = locked(by, pk, "founding.edit")
    check_editable(application)
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if extension not in CONSENT_TYPES:
        raise DomainError(gettext("同意文件只能是 PDF、PNG 或 JPG 格式。"), field="consent_document")
    if upload.size > CONSENT_MAX_BYTES:
        raise DomainError(gettext("同意文件不能超过 10 MB。"), field="consent_document")
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(CONSENT_TYPES[extension]):
        raise DomainError(
            gettext("文件内容与扩展名“.%(ext)s”不符，请上传真实的 PDF 或图片。") % {"ext": extension},
            field="consent_document",
        )
    old = application.consent_document.name if application.consent_document else None
    application.consent_document.save(upload.name, upload, save=True)
    audit.record(
        actor=by, action="update", instance=application, changes={"consent_document": [old, "（已上传）"]}
    )
    return application


@transaction.atomic
def save_charter(pk, *, by, text: str) -> CharterVersion:
    application = locked(by, pk, "founding.edit")
    check_editable(application)
    text = (text or "").strip()
    if len(text) < 100:
        raise DomainError(
            gettext("章程内容过短，请按组织通则写明总则、任务、会员、组织、经费、附则。"), field="charter"
        )
    current = application.charters.first()
    if current is not None and current.text.strip() == text:
        return current
    version = CharterVersion.objects.create(
        application=application, version=(current.version + 1 if current else 1), text=text, created_by=by
    )
    audit.record(
        actor=by,
        action="update",
        instance=application,
        changes={"charter": [current and current.version, version.version]},
    )
    return version
