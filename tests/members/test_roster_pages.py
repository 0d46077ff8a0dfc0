"""The roster pages: upload → preview → commit, progress polling, background jobs, exports."""

import io

import pytest
import python_calamine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.urls import reverse

from kexie.members.models import Membership, Person, RosterJob
from kexie.members.roster import importer, writing
from kexie.members.roster import jobs as roster

from .test_roster_import import ROWS, plain_rows, roster_xlsx

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = IMMEDIATE


@pytest.fixture
def secretary(client, world):
    client.force_login(world.secretary)
    return client


def upload(client, world, rows=ROWS):
    file = SimpleUploadedFile("会员汇总表.xlsx", roster_xlsx(rows))
    return client.post(reverse("roster:import", args=[world.assoc_a.pk]), {"file": file})


def test_association_page_links_to_the_roster_pages(secretary, world, client):
    page = secretary.get(reverse("associations:detail", args=[world.assoc_a.pk])).content.decode()
    assert reverse("roster:import", args=[world.assoc_a.pk]) in page
    assert reverse("roster:export", args=[world.assoc_a.pk]) in page
    client.force_login(world.county_viewer)
    page = client.get(reverse("associations:detail", args=[world.assoc_a.pk])).content.decode()
    assert reverse("roster:import", args=[world.assoc_a.pk]) not in page
    assert reverse("roster:export", args=[world.assoc_a.pk]) in page


def test_upload_preview_then_commit(secretary, world):
    response = upload(secretary, world)
    job = RosterJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("roster:job", args=[job.pk])
    assert (job.status, job.to_create, job.refused) == ("previewed", 4, 0) and not Person.objects.exists()
    page = secretary.get(response.url).content.decode()
    assert "确认导入" in page and "138****0001" in page and "13800000001" not in page
    response = secretary.post(reverse("roster:commit", args=[job.pk]))
    job.refresh_from_db()
    assert response.status_code == 302 and job.status == "committed"
    assert Membership.objects.filter(association=world.assoc_a, status="approved").count() == 4
    # A second commit of the same job is refused and writes nothing more.
    secretary.post(reverse("roster:commit", args=[job.pk]))
    assert Person.objects.count() == 4


def test_refused_cells_are_listed_on_the_preview(secretary, world):
    bad = [5, "孙磊", "男", "2999.01", "本科", "群众", "工程师", "工人", "1380000000"]
    job_url = upload(secretary, world, [*ROWS, bad]).url
    page = secretary.get(job_url).content.decode()
    assert "1380000000" in page and "2999-01" in page and "被拒绝的行" in page


def test_refused_rows_download_to_fix_and_reimport(secretary, world):

    bad = [5, "孙磊", "男", "2999.01", "本科", "群众", "工程师", "工人", "1380000000"]
    upload(secretary, world, [*ROWS, bad])
    job = RosterJob.objects.get()
    response = secretary.get(reverse("roster:refused", args=[job.pk]))
    assert response.status_code == 200
    with python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(response.content)) as book:
        rows = book.get_sheet_by_index(0).to_python()
    assert rows[1][:2] == ["序号", "姓名"] and rows[1][-1] == "问题" and len(rows) == 3
    assert rows[2][1] == "孙磊" and "出生年月" in rows[2][-1] and "电话" in rows[2][-1]


def test_a_bad_file_is_refused_on_the_form(secretary, world):
    file = SimpleUploadedFile("名单.xlsx", b"not a spreadsheet")
    response = secretary.post(reverse("roster:import", args=[world.assoc_a.pk]), {"file": file})
    assert response.status_code == 400 and "不是有效的 .xlsx 表格" in response.content.decode()
    assert not Person.objects.exists()


def test_a_large_file_runs_as_a_task_and_the_page_polls(
    secretary, world, settings, django_capture_on_commit_callbacks
):
    settings.KEXIE_ROSTER_INLINE_BYTES = 10  # every file is "large"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = upload(secretary, world)
    job = RosterJob.objects.get()
    assert job.status == "queued" and len(callbacks) == 1
    page = secretary.get(response.url).content.decode()
    assert 'hx-trigger="every 1s"' in page
    callbacks[0]()  # the worker picks the task up (immediate backend in tests)
    job.refresh_from_db()
    assert job.status == "previewed" and job.to_create == 4 and job.processed_rows == 4
    partial = secretary.get(reverse("roster:progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert partial["HX-Refresh"] == "true" and "every 1s" not in partial.content.decode()


def test_export_job_and_download(secretary, world):
    roster.start_import(
        world.assoc_a.pk, by=world.secretary, upload=SimpleUploadedFile("a.xlsx", roster_xlsx(ROWS))
    )
    response = secretary.post(reverse("roster:export", args=[world.assoc_a.pk]), {"format": "docx"})
    job = RosterJob.objects.get(kind="export")
    assert response.url == reverse("roster:job", args=[job.pk]) and job.status == "done"
    download = secretary.get(reverse("roster:download", args=[job.pk]))
    assert download.status_code == 200 and download["Content-Type"].endswith("wordprocessingml.document")
    assert b"".join(download.streaming_content).startswith(b"PK")


def test_full_export_button_only_for_the_secretary(secretary, world, client):
    assert "导出完整名单" in secretary.get(reverse("roster:export", args=[world.assoc_a.pk])).content.decode()
    client.force_login(world.county_staff)
    page = client.get(reverse("roster:export", args=[world.assoc_a.pk])).content.decode()
    assert "导出完整名单" not in page
    response = client.post(reverse("roster:export", args=[world.assoc_a.pk]), {"format": "xlsx", "full": "1"})
    assert response.status_code == 403 and not RosterJob.objects.exists()


def test_someone_elses_job_is_not_found(secretary, world, client):
    upload(secretary, world)
    job = RosterJob.objects.get()
    client.force_login(world.county_staff)
    assert client.get(reverse("roster:job", args=[job.pk])).status_code == 404


def test_only_the_uploader_confirms_the_import(secretary, world, client):
    upload(secretary, world)
    job = RosterJob.objects.get()
    client.force_login(world.admin)
    assert client.get(reverse("roster:job", args=[job.pk])).status_code == 200
    client.post(reverse("roster:commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "previewed" and not Person.objects.exists()


def test_template_download(secretary):
    response = secretary.get(reverse("roster:template"))
    assert response.status_code == 200 and response.content.startswith(b"PK")


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has one writer at a time: no progress during a commit"
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("regions")
def test_a_commit_run_by_the_worker_shows_its_progress_while_its_transaction_is_open(world, monkeypatch):
    """The page polls the job while the worker commits it in one transaction: the progress is
    written through a connection of its own, so it is seen before the commit ends."""

    rows = plain_rows(8, "进度")
    job = roster.start_import(
        world.assoc_a.pk, by=world.secretary, upload=SimpleUploadedFile("名单.xlsx", roster_xlsx(rows))
    )
    job.refresh_from_db()
    assert job.status == "previewed"
    seen = []

    def look(written):  # called by the writer thread after each batch, inside the open transaction
        outside = connections.create_connection(DEFAULT_DB_ALIAS)
        try:
            seen.append(_status_and_processed(outside, job.pk))
        finally:
            outside.close()

    monkeypatch.setattr(importer, "BATCH", 2)
    monkeypatch.setattr(writing, "_after_batch", look)
    monkeypatch.setattr(roster, "INLINE_EXPORT_ROWS", 0)  # the worker commits it, not the request
    # Queued after the request's transaction commits; the immediate backend then runs the task at once.
    roster.commit_import(job.pk, by=world.secretary)
    job.refresh_from_db()
    assert job.status == "committed" and Membership.objects.filter(association=world.assoc_a).count() == 8
    # Seen from outside while the import's transaction was still open: running, rows already judged.
    assert seen and {status for status, _processed in seen} == {"running"}
    assert max(processed for _status, processed in seen) >= 2


def _status_and_processed(conn, pk):
    with conn.cursor() as cursor:
        cursor.execute("SELECT status, processed_rows FROM core_job WHERE id = %s", [pk])
        return cursor.fetchone()
