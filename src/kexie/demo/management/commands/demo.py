import time

from django.core.management.base import BaseCommand, CommandError

from kexie.demo.accounts import login_table
from kexie.demo.generate import NATIONAL_DEFAULT
from kexie.demo.national import Phase, load_national
from kexie.demo.province import ensure_regions, load_province_demo


class Command(BaseCommand):
    help = (
        "载入演示数据（固定随机种子，可重复运行）。默认 province：河南省约 5,000 家企业、科协组织树、"
        "每个角色一个演示账号；national：再加全国 2,845 个县级区划约 100 万家企业和约 5 万个组织。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["province", "national"], default="province")
        parser.add_argument(
            "--enterprises",
            type=int,
            default=None,
            help=f"全国规模的企业数（默认 {NATIONAL_DEFAULT:,}；测试和基准可用较小的数）",
        )
        parser.add_argument(
            "--reset", action="store_true", help="全国规模：先删除上次生成的全国批次再重新生成"
        )

    def handle(self, *args, scale, enterprises, reset, **options):
        if scale == "province" and (enterprises is not None or reset):
            raise CommandError("--enterprises 和 --reset 只用于 --scale national。")
        if enterprises is not None and enterprises < 1:
            raise CommandError("--enterprises 须为正整数。")
        started = time.perf_counter()
        if ensure_regions():
            self.stdout.write("已载入行政区划和地方科协。")
        result = load_province_demo()
        if result.created_anything:
            self.stdout.write(
                f"省级演示数据：新增企业 {result.enterprises:,} 家、组织 {result.associations:,} 个、"
                f"联合科协覆盖 {result.covered:,} 条、用户 {result.users} 个、筹建申请 {result.applications} 件、"
                f"操作记录 {result.audit_entries} 条"
                f"（{result.seconds:.1f} 秒）。"
            )
        else:
            self.stdout.write("省级演示数据已存在，未作任何更改。")

        if scale == "national":
            self._national(enterprises or NATIONAL_DEFAULT, reset)

        self.stdout.write("")
        self.stdout.write("演示账号（共用一个密码）：")
        self.stdout.write(login_table(result.home_association))
        self.stdout.write(f"\n用时 {time.perf_counter() - started:.1f} 秒。")

    def _national(self, total: int, reset: bool) -> None:
        def report(phase: Phase) -> None:
            rate = f"，{phase.rate:,.0f} 行/秒" if phase.rows and phase.seconds else ""
            note = f"（{phase.note}）" if phase.note else ""
            self.stdout.write(f"  {phase.name}：{phase.rows:,} 行，{phase.seconds:.1f} 秒{rate}{note}")

        self.stdout.write(f"全国规模：{total:,} 家企业……")
        result = load_national(total, reset=reset, report=report)
        if result.skipped:
            self.stdout.write(
                f"全国规模演示数据已存在（{result.enterprises:,} 家企业、{result.associations:,} 个组织），"
                "未作任何更改；用 --reset 重新生成。"
            )
            return
        self.stdout.write(
            f"全国规模：企业 {result.enterprises:,} 家、组织 {result.associations:,} 个、"
            f"联合科协覆盖 {result.covered:,} 条，共 {result.seconds:.1f} 秒"
            f"（企业连同重建索引 {result.enterprise_rate:,.0f} 行/秒）。"
        )
