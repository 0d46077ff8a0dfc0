"""``kexie import_roster --association <id> FILE [--commit [--strict]] [--user <username>]``

Judges (and with ``--commit`` writes) a 会员汇总表 exactly like the import page. Output, stable for
scripts (UTF-8, one item per line):

    新增 N
    更新 N
    无变化 N
    拒绝 N            (refused rows)
    <row>\t<column>\t<reason>      one line per refused cell (row number in the file, header as
                                   written in the file)
    已写入 / 未写入     (only with --commit)

Without ``--user`` the command acts as the platform administrator (the system actor in the audit
log: whoever runs it on the server is trusted like one). With ``--user`` it acts as that user,
through the same permissions and scoping as the pages.

Exit code: 0 when the preview was made or the rows were written; 1 when nothing could be written
(every row refused, or ``--strict`` refused the file) or the file as a whole was refused.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from kexie.accounts.scoping import Scope
from kexie.core.errors import DomainError, Forbidden, NotFound
from kexie.members.roster import writing


class _PlatformAdmin:
    """The actor of an import run from the server's shell without --user."""

    pk = None
    is_authenticated = True
    is_active = True
    is_superuser = True
    roles = None
    _kexie_scope = None

    def get_username(self) -> str:
        return ""


def _admin():

    actor = _PlatformAdmin()
    actor._kexie_scope = Scope(everything=True, roles=frozenset())
    return actor


class Command(BaseCommand):
    help = "导入某个组织的会员汇总表：默认只预览，--commit 写入，--strict 有拒绝行时什么也不写。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="会员汇总表文件（.xlsx、.xls、.ods 或 .csv）")
        parser.add_argument("--association", type=int, required=True, help="组织的编号")
        parser.add_argument("--commit", action="store_true", help="写入所有可导入的行（一个事务）")
        parser.add_argument(
            "--strict", action="store_true", help="与 --commit 同用：有任何拒绝行时什么也不写"
        )
        parser.add_argument("--user", help="以该用户的身份和权限导入（默认：平台管理员）")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        by = self._actor(options["user"])
        try:
            plan = writing.import_roster(
                options["association"],
                by=by,
                data=path.read_bytes(),
                filename=path.name,
                commit=options["commit"],
                strict=options["strict"],
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        except Forbidden as exc:
            raise CommandError("该用户的角色无权导入会员名单。") from exc
        except NotFound as exc:
            raise CommandError("组织不存在，或不在该用户的管辖范围内。") from exc
        for line in plan.summary_lines():
            self.stdout.write(line)
        for error in plan.errors:
            self.stdout.write(f"{error.row}\t{error.column}\t{error.reason}")
        if options["commit"]:
            self.stdout.write("已写入" if plan.written else "未写入")
            if not plan.written:
                raise CommandError("没有写入任何数据。", returncode=1)

    def _actor(self, username):
        if not username:
            return _admin()
        try:
            user = get_user_model().objects.get(username=username, is_active=True)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"用户“{username}”不存在或已停用。") from exc
        return user
