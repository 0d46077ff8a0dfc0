"""The roster API: the same counts and errors as the pages, the same scoping, in the OpenAPI."""

import io

import pytest
import python_calamine
from django.test import Client

from kexie.members.models import Person

from ..api.conftest import token_for
from .test_roster_import import ROWS, roster_xlsx


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def api(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token_for(user)}")


def url(world, action: str) -> str:
    return f"/api/v1/associations/{world.assoc_a.pk}/roster/{action}"


def post(client, world, rows=ROWS, **form):
    file = io.BytesIO(roster_xlsx(rows))
    file.name = "会员汇总表.xlsx"
    return client.post(url(world, "import"), {"file": file, **form})


BAD = [5, "孙磊", "男", "1985.07", "本科", "群众", "工程师", "工人", "1380000000"]


def test_preview_answers_counts_and_errors_and_writes_nothing(world):
    response = post(api(world.secretary), world, [*ROWS, BAD])
    body = response.json()
    assert response.status_code == 200 and body["written"] is False
    assert (body["to_create"], body["to_update"], body["unchanged"], body["refused"]) == (4, 0, 0, 1)
    assert body["errors"][0]["row"] == 8 and body["errors"][0]["column"] == "电话"
    assert not Person.objects.exists()


def test_commit_writes_the_valid_rows_and_strict_refuses(world):
    client = api(world.secretary)
    body = post(client, world, [*ROWS, BAD], commit="true", strict="true").json()
    assert body["written"] is False and not Person.objects.exists()
    body = post(client, world, [*ROWS, BAD], commit="true").json()
    assert body["written"] is True and Person.objects.count() == 4
    body = post(client, world, ROWS, commit="true").json()
    assert (body["to_create"], body["to_update"], body["unchanged"]) == (0, 0, 4)


def test_a_bad_file_is_a_400_in_the_error_shape(world):
    client = api(world.secretary)
    file = io.BytesIO(b"hello")
    file.name = "a.xlsx"
    response = client.post(url(world, "import"), {"file": file, "commit": "true"})
    assert response.status_code == 400 and response.json()["field"] == "file"
    assert "不是有效的 .xlsx 表格" in response.json()["message"] and not Person.objects.exists()


def test_scoping_and_roles(world):
    assert post(api(world.county_staff), world).status_code == 403
    assert post(api(world.other_staff), world).status_code == 403
    response = api(world.secretary).post(f"/api/v1/associations/{world.assoc_b.pk}/roster/import", {})
    assert response.status_code == 404


def test_export_masked_for_staff_and_out_of_reach_is_404(world):
    post(api(world.secretary), world, commit="true")
    response = api(world.county_viewer).get(url(world, "export"), {"format": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"].endswith("spreadsheetml.sheet")
    with python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(response.content)) as book:
        rows = book.get_sheet_by_index(0).to_python()
    assert "138****0001" in [c for r in rows for c in r] and "13800000001" not in str(rows)
    docx = api(world.secretary).get(url(world, "export"), {"format": "docx"})
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    assert api(world.other_staff).get(url(world, "export")).status_code == 404
    assert api(world.secretary).get(url(world, "export"), {"format": "pdf"}).status_code == 422


def test_in_the_openapi(world):
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/associations/{association_id}/roster/import" in paths
    assert "/api/v1/associations/{association_id}/roster/export" in paths
