"""The demo logins: one per role, one shared password. README, the command and the tests read
``DEMO_ACCOUNTS`` so there is one list."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from kexie.accounts.enums import Role
from kexie.accounts.models import RoleAssignment, User
from kexie.accounts.services import assign_role
from kexie.associations.enums import Kind
from kexie.associations.models import Association
from kexie.enterprises.models import Enterprise
from kexie.regions.models import Region

DEMO_PASSWORD = "kexie-demo-2026"  # noqa: S105 - published on purpose: demo data only


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    display_name: str
    phone: str
    where: str  # for README and the login table
    region: str | None = None  # the region of a regional role
    at_local: bool = False  # held at the local 科协 of ``region`` (staff) rather than at the region itself
    at_home_association: bool = False  # held at the demo enterprise 科协 in 中原区
    superuser: bool = False
    founding: bool = False  # the contact of a demo founding application: the role comes with it
    at_enterprise: bool = False  # an enterprise user of a 中原区 high-tech firm without a 科协
    at_federation: str = ""  # the staff (secretary) of the demo federation of this name

    @property
    def role_label(self) -> str:
        return Role(self.role).label


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin", Role.PLATFORM_ADMIN, "王建国", "13803710001", "全平台", superuser=True),
    DemoAccount("henan", Role.STAFF_REVIEWER, "李红梅", "13803710002", "河南省科协", "410000", at_local=True),
    DemoAccount(
        "zhengzhou", Role.STAFF_REVIEWER, "张志强", "13803710003", "郑州市科协", "410100", at_local=True
    ),
    DemoAccount(
        "zhongyuan", Role.STAFF_REVIEWER, "刘芳", "13803710004", "中原区科协", "410102", at_local=True
    ),
    DemoAccount(
        "zhongyuan_viewer", Role.STAFF_VIEWER, "陈静", "13803710005", "中原区科协", "410102", at_local=True
    ),
    DemoAccount(
        "secretary", Role.SECRETARY, "赵磊", "13803710006", "中原区一家企业的科协", at_home_association=True
    ),
    DemoAccount("member", Role.MEMBER, "孙丽", "13803710007", "同一企业科协", at_home_association=True),
    DemoAccount("sasac", Role.SASAC_VIEWER, "周海涛", "13803710008", "河南省国资委", "410000"),
    DemoAccount("acfic", Role.ACFIC_VIEWER, "吴秀英", "13803710009", "郑州市工商联", "410100"),
    DemoAccount("provider", Role.PROVIDER, "郑晓东", "13803710010", "第三方服务机构"),
    # The preparatory groups' contacts of the demo founding applications (``demo.founding``).
    DemoAccount("founder", Role.SECRETARY, "宋建军", "13803710011", "筹备中，材料未齐", founding=True),
    DemoAccount(
        "founder2", Role.SECRETARY, "邓志刚", "13803710012", "已提交，待中原区科协审核", founding=True
    ),
    DemoAccount(
        "founder3", Role.SECRETARY, "苏振华", "13803710013", "省科协已批复，待开成立大会", founding=True
    ),
    DemoAccount("founder4", Role.SECRETARY, "魏长青", "13803710014", "已备案，科协已成立", founding=True),
    DemoAccount(
        "qiye",
        Role.ENTERPRISE_USER,
        "钱永安",
        "13803710015",
        "中原区一家尚无科协的高新技术企业",
        at_enterprise=True,
    ),
    DemoAccount(
        "lianhehui",
        Role.SECRETARY,
        "高国庆",
        "13803710016",
        "郑州市企业科协联合会",
        at_federation="郑州市企业科协联合会",
    ),
)
DEMO_USERNAMES = tuple(a.username for a in DEMO_ACCOUNTS)


def _node(account, home_association: Association, locals_: dict, regions: dict) -> dict:
    """Where a demo account's role is bound: an association or a region (nowhere for the platform)."""
    if account.at_federation:
        return {"association": Association.objects.get(kind=Kind.FEDERATION, name=account.at_federation)}
    if account.at_home_association:
        return {"association": home_association}
    if account.at_local:
        return {"association": locals_[account.region]}
    if account.region:
        return {"region": regions[account.region]}
    return {}


@transaction.atomic
def ensure_demo_users(home_association: Association) -> int:
    """Create the demo users that are missing and give each its role. Returns how many users were
    created. The password is hashed once (Argon2 is slow on purpose) and the hash shared."""
    existing = {u.username: u for u in User.objects.filter(username__in=DEMO_USERNAMES)}
    missing = [a for a in DEMO_ACCOUNTS if a.username not in existing]
    if missing:
        encoded = make_password(DEMO_PASSWORD)
        for account in missing:
            existing[account.username] = User.objects.create(
                username=account.username,
                password=encoded,
                display_name=account.display_name,
                phone=account.phone,
                is_staff=account.superuser,
                is_superuser=account.superuser,
            )
    regions = Region.objects.in_bulk([a.region for a in DEMO_ACCOUNTS if a.region])
    locals_ = {a.region_id: a for a in Association.objects.filter(kind=Kind.LOCAL, region_id__in=regions)}
    for account in DEMO_ACCOUNTS:
        user = existing[account.username]
        if account.founding:
            continue  # made secretary of the 科协 being founded when its application is opened
        if account.at_enterprise:
            if not user.roles.filter(role=account.role).exists():
                assign_role(user, account.role, enterprise=enterprise_without_association())
            continue
        assign_role(user, account.role, **_node(account, home_association, locals_, regions))
    return len(missing)


def enterprise_without_association() -> Enterprise:
    """The enterprise of the demo enterprise user: a small private high-tech firm in 中原区 with no
    科协 (fewer than 50 S&T workers, so never one the demo founding applications take)."""
    return (
        Enterprise.objects.filter(
            region_id="410102", ownership="private", is_high_tech=True, st_workers__lt=50
        )
        .filter(associations__isnull=True, joint_associations__isnull=True)
        .order_by("-credit_code")
        .first()
    )


def login_table(home_association: Association | None = None) -> str:
    """The demo logins as a plain-text table (shown by ``kexie demo`` and so by ``make run``)."""
    header = ("用户名", "密码", "角色", "所在")
    founding = dict(
        RoleAssignment.objects.filter(
            user__username__in=[a.username for a in DEMO_ACCOUNTS if a.founding], role=Role.SECRETARY
        ).values_list("user__username", "association__name")
    )
    lines = []
    for a in DEMO_ACCOUNTS:
        where = a.where
        if a.at_home_association and home_association is not None:
            where = f"{home_association.name}（{a.where}）"
        elif a.founding and a.username in founding:
            where = f"{founding[a.username]}（{a.where}）"
        elif a.at_enterprise:
            held = RoleAssignment.objects.filter(user__username=a.username, role=a.role).select_related(
                "enterprise"
            )
            if held and held[0].enterprise:
                where = f"{held[0].enterprise.name}（{a.where}）"
        lines.append((a.username, DEMO_PASSWORD, a.role_label, where))
    widths = [max(_width(row[i]) for row in [header, *lines]) for i in range(3)]

    def fmt(row: tuple[str, ...]) -> str:
        return "  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row[:3])) + "  " + row[3]

    rule = "-" * (sum(widths) + 6 + 24)
    return "\n".join([fmt(header), rule, *(fmt(r) for r in lines)])


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
