"""Demo summary report, after every other seed (``make demo``): the Xi'an host unit's report
(host.xian@demo.cn), written and submitted through the services, so its figures are frozen
from the demo's data; it waits for the Torch Center's rating (torch@demo.cn). Idempotent."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from contests import summary_services
from contests.enums import SummaryState
from contests.models import HostMembership

SECTIONS = {
    "implementation": (
        "本赛区按照实施计划完成需求征集、专家梳理、脱密发布、方案征集、需求对接和现场赛各阶段工作。"
        "采取“征集一批、发布一批、对接一批”的滚动方式，组织线上线下对接会，并对多方竞争的需求"
        "组织现场比拼，邀请需求方代表和评审专家打分。"),
    "results": (
        "一是需求质量明显提高，专家梳理后技术指标基本量化；二是对接效率提高，每个发布的需求均有"
        "回应；三是服务机构全程参与，政策咨询和知识产权服务及时跟进，促成合作意向协议签订。"),
    "shortcomings": (
        "部分企业需求描述仍偏笼统，专家梳理周期偏紧；个别挑战者方案与需求指标对应不够，"
        "原因是方案征集期较短、前期宣讲覆盖面不够。"),
    "suggestions": (
        "建议适当延长方案征集期，加强跨赛区需求共享与成果库推荐，对促成技术合同的对接给予"
        "更多地方科技计划支持。"),
}


class Command(BaseCommand):
    help = "Demo summary report of the Xi'an host unit, submitted (idempotent)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("DEBUG is off: demo data is not created on a production site.")
        host = get_user_model().objects.filter(email="host.xian@demo.cn").first()
        membership = (HostMembership.objects.filter(user=host).select_related("host_unit")
                      .first() if host else None)
        if membership is None:
            raise CommandError("Run seed_demo first (host.xian@demo.cn has no host unit).")
        unit = membership.host_unit
        with transaction.atomic():
            report = summary_services.summary_report_of(unit)
            if report.pk is None or report.state in (SummaryState.DRAFT, SummaryState.RETURNED):
                # A script, not a form: no edit token to check (``token=None``).
                report = summary_services.save_summary_report(unit, actor=host,
                                                              sections=SECTIONS)
                summary_services.submit_summary_report(report, actor=host)
                self.stdout.write(f"created  summary report of {unit.name} (submitted)")
        self.stdout.write(self.style.SUCCESS(
            f"Demo summary report ready ({unit.name}: {report.get_state_display()})."))
