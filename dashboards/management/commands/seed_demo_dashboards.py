"""Demo training (a material read by the Xi'an host staff, a session they attended) and a
Torch evaluation of the Xi'an host unit. Run after ``seed_demo`` (``make demo`` does).
Idempotent: what exists by title is left alone."""

import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from contests.models import HostUnit
from dashboards import services
from dashboards.models import HostEvaluation, TrainingMaterial, TrainingSession

MATERIAL = ("承办单位工作指引（需求征集与发布）",
            "需求征集、专家分析、脱敏发布的操作要点与常见问题。")
SESSION = ("全国承办单位线上培训会", "解读大赛实施方案，介绍平台操作与投诉处理流程。")


class Command(BaseCommand):
    help = "Add demo training with reads and attendance, and a host evaluation."

    def handle(self, *args, **options):
        User = get_user_model()
        users = {user.email: user for user in User.objects.filter(email__endswith="@demo.cn")}
        if not {"torch@demo.cn", "host.xian@demo.cn", "host.beijing@demo.cn"} <= set(users):
            raise CommandError("Run seed_demo first: the demo accounts are missing.")
        torch, xian_host = users["torch@demo.cn"], users["host.xian@demo.cn"]
        with transaction.atomic():
            material = TrainingMaterial.objects.filter(title=MATERIAL[0]).first()
            if material is None:
                material = services.publish_material(actor=torch, title=MATERIAL[0],
                                                     description=MATERIAL[1], upload=None)
                services.mark_read(material, user=xian_host)
            session = TrainingSession.objects.filter(title=SESSION[0]).first()
            if session is None:
                session = services.schedule_session(
                    actor=torch, title=SESSION[0], description=SESSION[1],
                    starts_at=timezone.now() - datetime.timedelta(days=7), place="线上（腾讯会议）")
                for email in ("host.xian@demo.cn", "host.beijing@demo.cn"):
                    services.register_for(session, user=users[email])
                services.record_attendance(session, actor=torch,
                                           attended_user_ids=[xian_host.pk])
            xian = HostUnit.objects.filter(slug="xian").first()
            if xian and not HostEvaluation.objects.filter(host_unit=xian).exists():
                services.evaluate_host(xian, actor=torch, rating=4,
                                       comments="需求征集进度良好，投诉答复及时；路演安排需提前报备。")
        self.stdout.write("Demo training and evaluation: done.")
