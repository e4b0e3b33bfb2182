"""Demo complaints in every state, one overdue and escalated to the Torch Center, and a mediated
dispute.

Also a re-check request about one score sheet of the finished demo live round: challenger.lab
asks for expert.li's sheet of its pitch to be re-checked; the Xi'an staff accept it and assign
expert.wang@demo.cn, an expert added here who judged nothing in that round (every other demo
expert judged it, so none of them is a candidate). Run after ``seed_demo``,
``seed_demo_demands`` and ``seed_demo_rounds`` (``make demo`` does; without the rounds the
re-check is left out). Every case goes through
``complaints.services``, so the history, audit log and notifications are what real use leaves;
the overdue case is filed, then its clock is set back (as if filed eight working days ago)
and the clock run. Idempotent: a case whose description its complainant already filed is
left alone.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from complaints import services
from complaints.clock import add_working_days
from complaints.enums import ComplaintState
from complaints.models import Complaint, Dispute
from contests.models import HostUnit
from demands.enums import DemandStatus
from demands.models import Demand
from matching.enums import SheetState
from matching.models import ScoreSheet

# (complainant, target key, reference: a callable of the units, category, description,
#  the state the workflow leaves it in, anonymous)
CASES = [
    ("challenger@demo.cn", "demands.demand", "xian-demand", "fairness",
     "需求发布后不到一周就截止征集，时间过短，对外地挑战者不公平。", ComplaintState.RECEIVED,
     False),
    ("agency@demo.cn", "demands.demand", "xian-demand", "process",
     "需求的技术指标前后表述不一致，请主办方澄清。", ComplaintState.ACCEPTED, False),
    ("challenger@demo.cn", "demands.demand", "xian-demand", "confidentiality",
     "我方提交的初步方案细节出现在其他团队的宣讲材料中，疑似泄露。", ComplaintState.INVESTIGATING,
     True),
    ("agency@demo.cn", "contests.hostunit", "beijing", "conduct",
     "北京赛区工作人员在咨询电话中态度生硬，未解答报名问题。", ComplaintState.RESOLVED, False),
    ("challenger@demo.cn", "contests.event", "event", "process",
     "赛事日程调整未提前通知参赛团队。", ComplaintState.CLOSED, False),
    ("agency@demo.cn", "demands.demand", "xian-demand", "other",
     "希望增加线上对接场次。", ComplaintState.DECLINED, False),
    ("challenger@demo.cn", "contests.hostunit", "xian", "other",
     "报名材料模板无法下载。", ComplaintState.WITHDRAWN, False),
]
OVERDUE = ("company@demo.cn", "contests.hostunit", "xian", "process",
           "西安赛区对我司需求的审核已超过两周没有任何答复。")
RECHECK = ("challenger.lab@demo.cn", "expert.li@demo.cn", "SiC功率模块散热现场赛",
           "李评审专家对我方“匹配度”一项的评分明显低于其他评委，且评分表未写理由，"
           "请求对该评分表复核。")
REVIEWER = ("expert.wang@demo.cn", "王复核专家")
DISPUTE = {
    "subject": "意向协议中样品交付时间的争议",
    "position_a": "按意向协议，对方应在签约后30日内交付首批样品，至今未交付。",
    "position_b": "样品检测标准在签约后被单方面提高，交付时间应相应顺延。",
    "mediation": "主办单位组织双方视频会议，双方同意按原标准检测并顺延15日交付。",
}


class Command(BaseCommand):
    help = "Add demo complaints in every state and a mediated dispute (after seed_demo)."

    def handle(self, *args, **options):
        User = get_user_model()
        users = {user.email: user for user in User.objects.filter(email__endswith="@demo.cn")}
        needed = {"challenger@demo.cn", "agency@demo.cn", "company@demo.cn",
                  "host.xian@demo.cn", "host.beijing@demo.cn", "torch@demo.cn"}
        if not needed <= set(users):
            raise CommandError("Run seed_demo first: the demo accounts are missing.")
        xian = HostUnit.objects.get(slug="xian")
        demand = (Demand.objects.filter(host_unit=xian, status=DemandStatus.PUBLISHED)
                  .order_by("pk").first())
        references = {
            "xian-demand": demand.ref if demand else None,
            "beijing": "beijing", "xian": "xian", "event": str(xian.event.number),
        }
        made = 0
        with transaction.atomic():
            for email, key, ref, category, text, state, anonymous in CASES:
                if references[ref] is None or Complaint.objects.filter(
                        complainant=users[email], description=text).exists():
                    continue
                complaint = services.file_complaint(
                    complainant=users[email], target_key=key, reference=references[ref],
                    category=category, description=text, anonymous=anonymous)
                self._walk(complaint, state, users)
                made += 1
            made += self._overdue(users)
            made += self._recheck(users)
            made += self._dispute(users, xian)
        self.stdout.write(f"Demo complaints and disputes: {made} added.")

    def _handler(self, complaint, users):
        if complaint.handled_by_torch:
            return users["torch@demo.cn"]
        return users["host.xian@demo.cn" if complaint.handling_unit.slug == "xian"
                     else "host.beijing@demo.cn"]

    def _walk(self, complaint, state, users):
        handler = self._handler(complaint, users)
        complainant = complaint.complainant
        if state == ComplaintState.RECEIVED:
            services.add_information(complaint, actor=complainant,
                                     text="补充：征集公告发布于本月初，截止日期为下周一。")
            return
        if state == ComplaintState.WITHDRAWN:
            services.withdraw(complaint, actor=complainant, reason="已通过其他渠道解决。")
            return
        if state == ComplaintState.DECLINED:
            services.decline(complaint, actor=handler,
                             reason="属于工作建议，不属于投诉受理范围，已转相关部门参考。")
            return
        services.accept(complaint, actor=handler)
        if state == ComplaintState.ACCEPTED:
            return
        services.start_investigation(complaint, actor=handler)
        services.add_note(complaint, actor=handler, text="已调取相关会议记录。")
        services.share_with_party(complaint, actor=handler,
                                  text="请在5个工作日内书面说明相关情况。")
        if state == ComplaintState.INVESTIGATING:
            return
        services.resolve(complaint, actor=handler,
                         outcome="经核查情况属实，已对相关人员批评教育并完善咨询答复流程。")
        if state == ComplaintState.CLOSED:
            services.give_feedback(complaint, actor=complainant, feedback="处理及时，感谢。",
                                   satisfied=True)

    def _overdue(self, users):
        email, key, ref, category, text = OVERDUE
        if Complaint.objects.filter(complainant=users[email], description=text).exists():
            return 0
        complaint = services.file_complaint(complainant=users[email], target_key=key,
                                            reference=ref, category=category, description=text)
        # As if filed eight working days ago: the 5-day answer is three working days late.
        filed = timezone.localdate() - datetime.timedelta(days=12)
        Complaint.objects.filter(pk=complaint.pk).update(
            received_at=timezone.now() - datetime.timedelta(days=12),
            accept_due=add_working_days(filed, 5))
        services.run_clock()
        return 1

    def _recheck(self, users):
        email, judge_email, round_title, text = RECHECK
        complainant = get_user_model().objects.filter(email=email).first()
        sheet = (ScoreSheet.objects.filter(
            judge__user__email=judge_email, judge__round__title=round_title,
            state=SheetState.SUBMITTED,
            entry__organisation__memberships__user=complainant).order_by("pk").first()
            if complainant else None)
        if sheet is None or Complaint.objects.filter(complainant=complainant,
                                                     description=text).exists():
            return 0
        from matching.management.commands.seed_demo_rounds import Command as RoundsSeed

        reviewer = RoundsSeed()._expert(*REVIEWER)
        complaint = services.file_complaint(
            complainant=complainant, target_key="matching.scoresheet", reference=str(sheet.pk),
            category="recheck", description=text)
        handler = self._handler(complaint, users)
        services.accept(complaint, actor=handler)
        services.start_investigation(complaint, actor=handler)
        services.assign_reviewer(complaint, actor=handler, reviewer=reviewer)
        return 1

    def _dispute(self, users, xian):
        company, challenger = users["company@demo.cn"], users["challenger@demo.cn"]
        if Dispute.objects.filter(side_a=company, subject=DISPUTE["subject"]).exists():
            return 0
        dispute = services.file_dispute(filer=company, host_unit=xian,
                                        subject=DISPUTE["subject"],
                                        other_party_email=challenger.email,
                                        position=DISPUTE["position_a"])
        services.state_position(dispute, actor=challenger, text=DISPUTE["position_b"])
        host = users["host.xian@demo.cn"]
        services.record_mediation(dispute, actor=host,
                                  held_on=timezone.localdate() - datetime.timedelta(days=3),
                                  text=DISPUTE["mediation"])
        services.close_dispute(dispute, actor=host, settled=True,
                               outcome="双方达成一致：按原检测标准，交付时间顺延15日。")
        return 1
