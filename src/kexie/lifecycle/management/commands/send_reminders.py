from django.core.management.base import BaseCommand

from kexie.lifecycle.reminders import send_reminders


class Command(BaseCommand):
    help = "提醒企业科协秘书：年度计划/总结报送期限、任期届满换届。建议每天运行一次。"

    def handle(self, *args, **options):
        self.stdout.write(f"已发送提醒 {send_reminders()} 条。")
