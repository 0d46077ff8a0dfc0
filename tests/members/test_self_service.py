"""Sign-up (PIPL consent, linking to a person already registered), the member's own pages, their
data download and card, and the public card check."""

import json
import shutil
import subprocess

import pytest
from django.test import Client
from python_calamine import CalamineWorkbook

from kexie.accounts.models import User
from kexie.core.models import AuditEntry
from kexie.members import services
from kexie.members.models import Membership, Person

from .conftest import PASSWORD, apply_to, sign_up

PDFTOTEXT = shutil.which("pdftotext")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def signup_post(client, **overrides):
    data = {"name": "王工", "phone": "13912345678", "email": "", "password": PASSWORD, "consent": "on"}
    data.update(overrides)
    return client.post("/members/signup/", {k: v for k, v in data.items() if v is not None})


def test_signup_with_consent_creates_user_person_and_signs_in(db):
    client = Client()
    response = signup_post(client)
    assert response.status_code == 302 and response["Location"] == "/members/me/apply/"
    user = User.objects.get(username="13912345678")
    assert user.check_password(PASSWORD) and user.password.startswith("md5$")
    person = Person.objects.get(user=user)
    assert person.consented_at is not None and person.phone == "13912345678"
    assert client.get("/members/me/").status_code == 200  # signed in
    assert AuditEntry.objects.filter(object_id=str(person.pk), action="create").exists()


def test_signup_without_consent_is_refused(db):
    response = signup_post(Client(), consent=None)
    assert response.status_code == 200
    assert "须同意" in response.content.decode()
    assert not User.objects.filter(username="13912345678").exists()
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field_text"),
    [
        ({"password": "123"}, "密码"),
        ({"phone": "", "email": ""}, "手机号或电子邮箱"),
        ({"phone": "1234"}, "格式不正确"),
        ({"name": ""}, "姓名"),
    ],
)
def test_signup_bad_input_changes_nothing(db, overrides, field_text):
    response = signup_post(Client(), **overrides)
    assert response.status_code == 200 and field_text in response.content.decode()
    assert not User.objects.exists() or not User.objects.filter(display_name="王工").exists()


def test_signup_by_email(db):
    user = services.sign_up(name="赵工", phone="", email="Zhao@Example.com", password=PASSWORD, consent=True)
    assert user.username == "zhao@example.com"


def test_phone_already_registered_is_refused(db):
    sign_up("王工", "13912345678")
    response = signup_post(Client())
    assert "已注册" in response.content.decode()
    assert User.objects.filter(phone="13912345678").count() == 1


def test_signup_links_to_a_person_imported_from_a_roster(world):
    imported = Person.objects.create(name="王工", phone="13912345678", title_level="senior")
    Membership.objects.create(person=imported, association=world.assoc_a, status="approved")
    user = sign_up("王工", "13912345678")
    assert Person.objects.filter(name="王工").count() == 1
    imported.refresh_from_db()
    assert imported.user == user and imported.consented_at is not None
    # Already a full member there: the account holds the member role at once.
    assert user.roles.filter(role="member", association=world.assoc_a).exists()


def test_signup_does_not_take_over_a_person_with_another_name(db):
    Person.objects.create(name="王五", phone="13912345678")
    user = sign_up("王工", "13912345678")
    assert Person.objects.get(user=user).name == "王工"
    assert Person.objects.filter(phone="13912345678").count() == 2


def test_a_user_without_any_role_uses_their_pages(world, worker):
    user, membership = worker
    client = signed_in(user)
    for url in ("/", "/members/me/", "/members/me/edit/", "/members/me/apply/", "/members/me/memberships/"):
        assert client.get(url).status_code == 200, url
    page = client.get("/members/me/memberships/").content.decode()
    assert "申请中" in page and "郑州中原智能装备有限公司科学技术协会" in page
    assert 'href="/members/me/"' in client.get("/").content.decode()  # in the navigation


def test_profile_is_masked_and_revealed_on_demand_with_audit(world, worker):
    user, _membership = worker
    client = signed_in(user)
    page = client.get("/members/me/").content.decode()
    assert "139****0001" in page and "13912340001" not in page
    assert "1101**********002X" in page and "11010519491231002X" not in page
    response = client.post("/members/me/reveal/id_number/")
    assert response.status_code == 200 and "11010519491231002X" in response.content.decode()
    entry = AuditEntry.objects.get(action="reveal")
    assert entry.actor == user and "身份证号" in entry.note and "11010519491231002X" not in str(entry.changes)


def test_edit_own_profile_is_cleaned_and_audited(world, worker):
    user, _membership = worker
    client = signed_in(user)
    response = client.post(
        "/members/me/edit/", {"name": "李工程", "birth_month": "1990年5月", "email": "bad"}
    )
    assert response.status_code == 200 and "电子邮箱" in response.content.decode()
    response = client.post(
        "/members/me/edit/", {"name": "李工程", "birth_month": "1990年5月", "ethnicity": "汉"}
    )
    assert response.status_code == 302
    person = Person.objects.get(user=user)
    assert person.birth_month == "1990-05" and person.ethnicity == "汉族"
    assert person.phone == "13912340001" and person.id_number == "11010519491231002X"  # blank: kept


def test_application_form_through_the_page(world):
    user = sign_up("周工", "13912340009")
    client = signed_in(user)
    search = client.get("/members/search/associations/", {"q": "中原智能"}).content.decode()
    assert f'value="{world.assoc_a.pk}"' in search and "金水" not in search
    response = client.post(
        "/members/me/apply/", {"association": world.assoc_a.pk, "name": "周工", "education": "本科"}
    )
    assert response.status_code == 302
    membership = Membership.objects.get(person__user=user)
    assert membership.status == "applied" and membership.person.education == "bachelor"
    response = client.post("/members/me/apply/", {"association": "", "name": "周工"})
    assert "请选择要加入的科协" in response.content.decode()


def test_my_data_download_json_and_xlsx_audited(world, worker):
    user, _membership = worker
    client = signed_in(user)
    response = client.get("/members/me/data.json")
    data = json.loads(response.content)
    assert (
        data["person"]["id_number"] == "11010519491231002X" and data["memberships"][0]["status"] == "申请中"
    )
    response = client.get("/members/me/data.xlsx")
    assert response.status_code == 200 and response.content[:2] == b"PK"

    book = CalamineWorkbook.from_filelike(__import__("io").BytesIO(response.content))
    rows = book.get_sheet_by_name("person").to_python()
    assert ["name", "李工程"] in [list(r) for r in rows]
    assert AuditEntry.objects.filter(action="export", actor=user).count() == 2
    assert client.get("/members/me/data.csv").status_code == 404


def _pdf_text(content: bytes) -> str:
    result = subprocess.run([PDFTOTEXT, "-", "-"], input=content, capture_output=True, check=True)  # noqa: S603
    return "".join(result.stdout.decode("utf-8").split())


@pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed")
def test_card_pdf_and_public_verification(world, worker, settings):
    settings.KEXIE_BASE_URL = "https://kexie.example.cn"
    user, membership = worker
    client = signed_in(user)
    assert client.get(f"/members/me/card/{membership.pk}.pdf").status_code == 404  # not approved yet
    services.approve(membership.pk, by=world.secretary)
    membership.refresh_from_db()
    response = client.get(f"/members/me/card/{membership.pk}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert "会员证" in text and "李工程" in text and world.assoc_a.name in text
    assert membership.card_code in text
    assert f"https://kexie.example.cn/members/verify/{membership.card_code}/" in text
    assert str(membership.joined_on.year) in text
    # The card of someone else's membership is not there.
    other = sign_up("别人", "13912340077")
    assert signed_in(other).get(f"/members/me/card/{membership.pk}.pdf").status_code == 404

    anonymous = Client()
    page = anonymous.get(f"/members/verify/{membership.card_code}/").content.decode()
    assert "有效" in page and "李**" in page and world.assoc_a.name in page and "李工程" not in page
    services.leave(membership.pk, by=world.secretary, reason="离职")
    left = anonymous.get(f"/members/verify/{membership.card_code}/")
    unknown = anonymous.get("/members/verify/NOSUCHCODE23/")
    assert left.status_code == unknown.status_code == 200
    for response in (left, unknown):
        page = response.content.decode()
        assert "无效" in page and "李" not in page and world.assoc_a.name not in page
    form = anonymous.get("/members/verify/", {"code": membership.card_code.lower()}).content.decode()
    assert "无效" in form


def test_founding_members_get_a_card_code_when_they_open_their_card(world):
    person = Person.objects.create(name="创始人", phone="13912340055")
    membership = Membership.objects.create(
        person=person, association=world.assoc_a, status="approved", joined_on="2024-05-01"
    )
    user = sign_up("创始人", "13912340055")
    assert membership.card_code is None
    issued = services.issue_card(membership.pk, by=user)
    assert issued.card_code and services.issue_card(membership.pk, by=user).card_code == issued.card_code


def test_applying_for_another_after_rejection_keeps_history(world, worker):
    user, membership = worker
    services.reject(membership.pk, by=world.secretary, reason="不在本单位")
    again = apply_to(user, world.assoc_a)
    assert again.pk != membership.pk
    assert list(
        Membership.objects.filter(person__user=user).values_list("status", flat=True).order_by("pk")
    ) == [
        "rejected",
        "applied",
    ]
