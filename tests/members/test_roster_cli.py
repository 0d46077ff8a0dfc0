"""``kexie import_roster``: preview, --commit, --strict, --user; stable output and exit codes."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kexie.core.models import AuditEntry
from kexie.members.models import Person

from .test_roster_import import ROWS, roster_xlsx

BAD = [5, "孙磊", "男", "1985.07", "本科", "群众", "工程师", "工人", "1380000000"]


@pytest.fixture
def file(tmp_path):
    def write(rows):
        path = tmp_path / "会员汇总表.xlsx"
        path.write_bytes(roster_xlsx(rows))
        return str(path)

    return write


def run(world, path, *args):

    out = StringIO()
    call_command("import_roster", path, "--association", str(world.assoc_a.pk), *args, stdout=out)
    return out.getvalue().splitlines()


def test_preview_prints_counts_and_refused_cells_and_writes_nothing(world, file):
    lines = run(world, file([*ROWS, BAD]))
    assert lines[:4] == ["新增 4", "更新 0", "无变化 0", "拒绝 1"]
    row, column, reason = lines[4].split("\t")
    assert (row, column) == ("8", "电话") and "10位" in reason
    assert len(lines) == 5 and not Person.objects.exists()


def test_commit_as_the_platform(world, file):
    lines = run(world, file([*ROWS, BAD]), "--commit")
    assert lines[-1] == "已写入" and Person.objects.count() == 4
    entry = AuditEntry.objects.get(action="import")
    assert entry.actor is None and entry.actor_name  # the system actor
    assert run(world, file(ROWS), "--commit")[:3] == ["新增 0", "更新 0", "无变化 4"]


def test_strict_writes_nothing_and_fails(world, file):
    with pytest.raises(CommandError) as err:
        run(world, file([*ROWS, BAD]), "--commit", "--strict")
    assert err.value.returncode == 1 and not Person.objects.exists()


def test_nothing_writable_fails(world, file):
    with pytest.raises(CommandError) as err:
        run(world, file([BAD]), "--commit")
    assert err.value.returncode == 1


def test_as_a_user_through_permissions_and_scoping(world, file):
    with pytest.raises(CommandError, match="无权"):
        run(world, file(ROWS), "--commit", "--user", "zhongyuan_staff")
    with pytest.raises(CommandError, match="组织不存在"):
        call_command(
            "import_roster", file(ROWS), "--association", str(world.assoc_b.pk), "--user", "secretary_a"
        )
    run(world, file(ROWS), "--commit", "--user", "secretary_a")
    assert AuditEntry.objects.get(action="import").actor == world.secretary


def test_a_bad_file_fails_with_its_message(world, tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_text("not a spreadsheet")
    with pytest.raises(CommandError, match="不是有效的"):
        run(world, str(path), "--commit")
