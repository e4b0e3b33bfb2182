"""One world holding every persona and the objects they own, for the harness suites.

Two host units, A and B. At A: the demand owner's published demand (every hideable field hidden,
each holding a canary), its draft, a submitted demand, an attachment, a wording proposal, access
requests (one granted, one pending), an expert assignment, a notice, a complaint channel, a work
plan and an import job. At B: another company's published demand and draft, and B's own notice,
channel and work plan. Besides: a notification, a subscription and a pending membership of the
owner, and a webhook with a failed delivery.
"""

import inspect
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from accounts.enums import OrganisationKind
from accounts.models import Agreement
from common.importexport.models import ImportJob
from demands.enums import DemandStatus, HideableField
from demands.models import AccessRequest
from demands.services.contacts import contact_consent_token
from notifications.models import Notification
from push.models import Webhook, WebhookDelivery
from push.subscriptions import create_subscription
from tests.factories.accounts import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    sign_current_agreements,
)
from tests.factories.contests import (
    ChallengeNoticeFactory,
    ComplaintChannelFactory,
    ContestFactory,
    EventFactory,
    HostMembershipFactory,
    HostUnitFactory,
    IndustryFieldFactory,
    SummaryReportFactory,
    WorkPlanFactory,
)
from tests.factories.demands import (
    AnalysisFactory,
    DemandFactory,
    ExpertAssignmentFactory,
    WordingProposalFactory,
)
from tests.factories.files import PrivateFileFactory
from tests.factories.solutions import SolutionFactory

PERSONAS = (
    "visitor",
    "owner",
    "other_company",
    "challenger",
    "challenger_granted",
    "expert",
    "expert_assigned",
    "host",
    "other_host",
    "agency",
    "torch",
)

# Values that exist only in the hidden fields of the world's published demand: if one shows on
# a page the persona may not see in full, the page leaks.
CANARIES = {
    HideableField.ORGANISATION: "金丝雀矩阵科技有限公司CANARYORG",
    HideableField.CONTACT_PERSON: "雀鸣矩CANARYPERSON",
    HideableField.PHONE: "13912340987",
    HideableField.EMAIL: "matrix.canary@canary-mail.cn",
    HideableField.ADDRESS: "西安市雁塔区金丝雀路77号CANARYADDR",
    HideableField.BUDGET: "876.54",
    HideableField.PRIZE: "234.56",
    HideableField.ATTACHMENTS: "金丝雀附件CANARYFILE.pdf",
}
HIDDEN_PASSAGE = "钽铌复合配方QX7"
# What the public sees instead of the hidden organisation name (demands.public).
PUBLIC_TITLE = "高温合金涡轮叶片涂层寿命提升"

# Solutions are private to their circle; a published clarification shows without the asker.
SOLUTION_CANARY = "方案正文金丝雀SOLCANARY"
PRIVATE_QUESTION = "私密提问金丝雀QCANARY"
PUBLISHED_ANSWER = "公开答复：样件由需求方提供QAMATRIX"
# A staff-only achievement: nobody but its holder's members, host and Torch staff sees it.
STAFF_ACHIEVEMENT = "矩阵内部成果MATCHLEAK"
# A closed live round (not every side consented): its title, judges and results stay with its
# participants, host and Torch staff.
ROUND_CANARY = "矩阵闭门现场赛ROUNDLEAK"

# Foreign rows are recognised on admin pages by these (an admin list or filter that shows one
# shows another unit's data).
FOREIGN_MARK = "外单位QZ"

# What only the complainant, the handling staff and Torch staff read of the world's complaint.
COMPLAINT_CANARY = "投诉金丝雀CANARYCOMPLAINT"

# A subsidy application's justification: read by the applying company, unit A's staff and
# Torch staff only. The policy itself is public.
SUBSIDY_CANARY = "补助理由金丝雀CANARYSUBSIDY"
SUBSIDY_POLICY_TITLE = "甲市揭榜对接研发补助"



@dataclass
class World:
    users: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)

    def user(self, persona):
        return self.users.get(persona)

    def resolve(self, path):
        """``"demand.ref"`` → the attribute of a world object; a non-string stays as it is."""
        if not isinstance(path, str) or not path.startswith("@"):
            return path
        name, _, attribute = path[1:].partition(".")
        value = self.objects[name]
        for part in filter(None, attribute.split(".")):
            value = getattr(value, part)
            if inspect.ismethod(value):  # "roles.first"
                value = value()
        return value


def _host_registration(users, unit):
    """Host registration: a pending application to unit A (letter attached), an open
    invitation of the challenger to unit A's staff, and a colleague on A's staff."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from contests.models import HostApplication, HostInvitation
    from files.enums import FileKind
    from files.services import store_upload

    applicant = UserFactory(email="applicant.host@matrix.cn")
    application = HostApplication.objects.create(user=applicant, host_unit=unit,
                                                 position="科技局干部")
    store_upload(SimpleUploadedFile("授权书.pdf", _PDF), kind=FileKind.ATTACHMENT,
                 uploaded_by=applicant, attach_to=application)
    from datetime import timedelta

    from contests.registration import invitation_token

    invitation = HostInvitation.objects.create(host_unit=unit, email=users["challenger"].email,
                                               invited_by=users["host"], nonce="matrix-nonce",
                                               expires_at=timezone.now() + timedelta(days=14))
    colleague = HostMembershipFactory(host_unit=unit, user__email="colleague@matrix.cn")
    return {"host_application": application, "host_invitation": invitation,
            "host_invitation_token": invitation_token(invitation), "colleague": colleague}


_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]"
        b"/Count 1>>endobj 3 0 obj<</Type/Page/MediaBox[0 0 3 3]/Parent 2 0 R>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n")


def _news(users, unit):
    """Publicity: a published item of host unit A and a draft of A."""
    from news.models import NewsItem

    published = NewsItem.objects.create(title="甲市挑战赛启动", body="<p>启动仪式举行。</p>",
                                        host_unit=unit, created_by=users["host"],
                                        publish_at=timezone.now())
    draft = NewsItem.objects.create(title="甲市未发布新闻", body="<p>草稿</p>", host_unit=unit,
                                    created_by=users["host"])
    return {"news": published, "news_draft": draft}


def _api_key(issuer):
    """A partner's key of the open-data API (issued by Torch staff)."""
    from api.models import ApiKey

    return ApiKey.objects.create(partner="合作媒体", prefix="matrix01", key_hash="0" * 64,
                                 created_by=issuer)


def _with_totp(user):
    from allauth.mfa.models import Authenticator

    Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "JBSWY3DPEHPK3PXP"}}
    )
    return user


def build_world():
    from accounts.security import requires_mfa

    contest = ContestFactory()
    field_ = IndustryFieldFactory(code="matrix-field", name="矩阵产业领域")
    unit_a = HostUnitFactory(
        event=EventFactory(contest=contest, number=7), fields=[field_], name="甲市人民政府"
    )
    unit_b = HostUnitFactory(
        event=EventFactory(contest=contest, number=8),
        fields=[field_],
        name=f"乙市人民政府{FOREIGN_MARK}",
    )

    users = {"visitor": None}
    owner_org = OrganisationFactory(
        name=CANARIES[HideableField.ORGANISATION], kind=OrganisationKind.ENTERPRISE
    )
    users["owner"] = MembershipFactory(
        user=UserFactory(roles=["demand_company"], email="owner@matrix.cn"), organisation=owner_org
    ).user
    # Not yet verified: verifying it is a change a foreign host organiser must not make.
    other_org = OrganisationFactory(name=f"乙方科技有限公司{FOREIGN_MARK}", verified=False)
    users["other_company"] = MembershipFactory(
        user=UserFactory(roles=["demand_company"], email="other@matrix.cn"), organisation=other_org
    ).user
    university = OrganisationFactory(kind=OrganisationKind.UNIVERSITY, name="挑战大学")
    users["challenger"] = MembershipFactory(
        user=UserFactory(roles=["challenger"], email="challenger@matrix.cn"),
        organisation=university,
    ).user
    users["challenger_granted"] = MembershipFactory(
        user=UserFactory(roles=["challenger"], email="granted@matrix.cn"),
        organisation=OrganisationFactory(kind=OrganisationKind.INSTITUTE, name="授权研究院"),
    ).user
    users["expert"] = UserFactory(roles=["expert"], email="expert@matrix.cn")
    users["expert_assigned"] = UserFactory(roles=["expert"], email="assigned@matrix.cn")
    # Host unit A's administrator (approved on application): invites and removes colleagues.
    host_membership = HostMembershipFactory(host_unit=unit_a, user__email="host@matrix.cn",
                                            is_admin=True)
    users["host"] = host_membership.user
    foreign_host_membership = HostMembershipFactory(
        host_unit=unit_b, user__email="otherhost@matrix.cn"
    )
    users["other_host"] = foreign_host_membership.user
    users["agency"] = UserFactory(roles=["service_agency"], email="agency@matrix.cn")
    # A member of a service agency that unit A commissions for the world's demand (below).
    agency_org = OrganisationFactory(kind=OrganisationKind.SERVICE_AGENCY, name="矩阵服务机构")
    MembershipFactory(user=users["agency"], organisation=agency_org)
    users["torch"] = UserFactory(roles=["torch_staff"], is_staff=True, email="torch@matrix.cn")
    for user in users.values():
        if user is not None and requires_mfa(user):
            _with_totp(user)
    for persona in ("challenger_granted", "expert_assigned", "expert", "challenger"):
        sign_current_agreements(users[persona], contest)
    # The agency's members act on a commission after signing the NDA (matching.permissions).
    sign_current_agreements(users["agency"], contest, kinds=("nda",))

    demand = DemandFactory(
        host_unit=unit_a,
        organisation=owner_org,
        created_by=users["owner"],
        status=DemandStatus.PUBLISHED,
        industry_field=field_,
        title=PUBLIC_TITLE,
        current_base=f"已有等离子喷涂产线，采用{HIDDEN_PASSAGE}制备粘结层。",
        key_problem=f"涂层在1100℃热循环500次后剥落，需改进{HIDDEN_PASSAGE}或替代工艺。",
        contact_person=CANARIES[HideableField.CONTACT_PERSON],
        contact_mobile=CANARIES[HideableField.PHONE],
        contact_email=CANARIES[HideableField.EMAIL],
        address=CANARIES[HideableField.ADDRESS],
        budget=Decimal(CANARIES[HideableField.BUDGET]),
        prize=Decimal(CANARIES[HideableField.PRIZE]),
        hidden_fields=list(HideableField.values),
        hidden_passages=[HIDDEN_PASSAGE],
    )
    attachment = PrivateFileFactory(
        name=CANARIES[HideableField.ATTACHMENTS], attach_to=demand, uploaded_by=users["owner"]
    )
    from demands.public.projection import refresh_public_index

    refresh_public_index(demand)
    demand.refresh_from_db()
    draft = DemandFactory(
        host_unit=unit_a,
        organisation=owner_org,
        created_by=users["owner"],
        status=DemandStatus.DRAFT,
        title="企业草稿矩阵",
    )
    submitted = DemandFactory(
        host_unit=unit_a,
        organisation=owner_org,
        created_by=users["owner"],
        status=DemandStatus.SUBMITTED,
        title="已提交需求矩阵",
    )
    foreign = DemandFactory(
        host_unit=unit_b,
        organisation=other_org,
        created_by=users["other_company"],
        status=DemandStatus.PUBLISHED,
        title=f"外单位公开需求{FOREIGN_MARK}",
        industry_field=field_,
    )
    refresh_public_index(foreign)
    foreign.refresh_from_db()
    foreign_draft = DemandFactory(
        host_unit=unit_b,
        organisation=other_org,
        created_by=users["other_company"],
        status=DemandStatus.DRAFT,
        title=f"外单位草稿{FOREIGN_MARK}",
        contact_mobile="13700009999",
    )
    assignment = ExpertAssignmentFactory(
        demand=demand, expert=users["expert_assigned"], assigned_by=users["host"]
    )
    ExpertAssignmentFactory(
        demand=submitted, expert=users["expert_assigned"], assigned_by=users["host"]
    )
    foreign_assignment = ExpertAssignmentFactory(
        demand=foreign, expert=users["expert"], assigned_by=users["other_host"]
    )
    analysis = AnalysisFactory(demand=demand, expert=users["expert_assigned"])
    foreign_analysis = AnalysisFactory(
        demand=foreign, expert=users["expert"], analysis=f"外单位分析{FOREIGN_MARK}"
    )
    proposal = WordingProposalFactory(demand=demand, proposed_by=users["host"])
    foreign_proposal = WordingProposalFactory(demand=foreign, proposed_by=users["other_host"])

    access_request = AccessRequest
    granted = access_request.objects.create(
        demand=demand,
        user=users["challenger_granted"],
        state="granted",
        decided_by=users["owner"],
        decided_at=timezone.now(),
    )
    pending_access = access_request.objects.create(
        demand=demand, user=users["challenger"], message="请授权查看"
    )
    foreign_access = access_request.objects.create(
        demand=foreign, user=users["challenger"], message="请授权查看外单位"
    )

    notification = Notification.objects.create(
        recipient=users["owner"],
        kind="demand.status_changed",
        text="您的需求状态已更新",
        url="/",
        idempotency_key="harness:notification:owner",
    )
    subscription = create_subscription(
        users["owner"], name="矩阵订阅", keywords=["涂层"]
    )
    webhook = Webhook.objects.create(
        name="合作媒体", url="https://partner.example.cn/hook", created_by=users["torch"]
    )
    delivery = WebhookDelivery.objects.create(
        webhook=webhook,
        event="demand.published",
        demand=foreign,
        idempotency_key="harness:delivery:1",
        payload={"ref": foreign.ref},
        state="failed",
    )
    applicant = UserFactory(email="applicant@matrix.cn")
    pending_membership = MembershipFactory(
        user=applicant, organisation=owner_org, role="member", state="pending"
    )
    foreign_membership = MembershipFactory(
        user=UserFactory(email="applicant2@matrix.cn"),
        organisation=other_org,
        role="member",
        state="pending",
    )

    notice = ChallengeNoticeFactory(host_unit=unit_a, title="甲市挑战须知")
    foreign_notice = ChallengeNoticeFactory(host_unit=unit_b, title=f"乙市挑战须知{FOREIGN_MARK}")
    published_notice = ChallengeNoticeFactory(host_unit=unit_a, title="甲市已发布挑战须知",
                                              published=True)
    channel = ComplaintChannelFactory(host_unit=unit_a)
    foreign_channel = ComplaintChannelFactory(host_unit=unit_b, name=f"乙市投诉受理{FOREIGN_MARK}")
    work_plan = WorkPlanFactory(host_unit=unit_a, with_stages=True, state="submitted")
    foreign_plan = WorkPlanFactory(
        host_unit=unit_b, with_stages=True, state="submitted", goals=f"乙市目标{FOREIGN_MARK}"
    )
    summary_report = SummaryReportFactory(host_unit=unit_a, submitted=True)
    foreign_summary_report = SummaryReportFactory(
        host_unit=unit_b, submitted=True, results=f"乙市经验{FOREIGN_MARK}"
    )
    import_job = ImportJob.objects.create(
        user=users["host"],
        resource_key="demands.demand",
        file="imports/harness.csv",
        file_token="harness",
        extension="csv",
        original_name="需求导入.csv",
    )

    # Solutions (solutions app): the granted challenger's institute answered the world's demand
    # (submitted, with a version, an attachment and a clarification thread whose answer is
    # published); the university has a draft; another unit's demand has the university's answer.
    from solutions.models import ClarificationThread, SolutionVersion

    solution = SolutionFactory(
        demand=demand, organisation=users["challenger_granted"].memberships.first().organisation,
        created_by=users["challenger_granted"], status="submitted", summary=SOLUTION_CANARY,
        title="研究院涂层寿命方案SOLTITLE",
    )
    SolutionVersion.objects.create(solution=solution, number=1, content={"title": solution.title},
                                   created_by=users["challenger_granted"])
    solution_file = PrivateFileFactory(name="方案附件.pdf", attach_to=solution,
                                       uploaded_by=users["challenger_granted"])
    draft_solution = SolutionFactory(
        demand=demand, organisation=university, created_by=users["challenger"], status="draft",
        title="大学草稿方案",
    )
    foreign_solution = SolutionFactory(
        demand=foreign, organisation=university, created_by=users["challenger"],
        status="submitted", title=f"外单位方案{FOREIGN_MARK}",
    )
    thread = ClarificationThread.objects.create(
        demand=demand, asker=users["challenger_granted"], question=PRIVATE_QUESTION,
        published_question="样件由谁提供？", published_answer=PUBLISHED_ANSWER,
        published_at=timezone.now(), published_by=users["owner"],
    )

    matching_objects = _matching(users, demand=demand, unit=unit_a, field_=field_,
                                 holder=university, agency_org=agency_org, owner_org=owner_org)

    from complaints import services as complaint_services

    complaint = complaint_services.file_complaint(
        complainant=users["expert"], target_key="demands.demand", reference=demand.ref,
        category="confidentiality", anonymous=True,
        description=f"评审中泄露了隐藏的配方。{COMPLAINT_CANARY}",
    )
    foreign_complaint = complaint_services.file_complaint(
        complainant=users["expert_assigned"], target_key="demands.demand", reference=foreign.ref,
        category="process", description=f"外单位流程问题{FOREIGN_MARK}",
    )
    dispute = complaint_services.file_dispute(
        filer=users["owner"], host_unit=unit_a, subject="意向协议争议矩阵",
        other_party_email=users["challenger"].email, position="我方认为对方未按意向协议提供样品。",
    )

    from dashboards import services as dashboard_services

    training_material = dashboard_services.publish_material(
        actor=users["torch"], title="承办单位工作培训", description="需求征集规范", upload=None)
    training_session = dashboard_services.schedule_session(
        actor=users["torch"], title="线上培训会", description="", starts_at=timezone.now(),
        place="线上")
    # The round's second challenger is an institute none of the crawled personas belongs to.
    rival = SolutionFactory(
        demand=demand, organisation=OrganisationFactory(kind=OrganisationKind.INSTITUTE,
                                                        name="矩阵对手研究院"),
        status="shortlisted", title="对手方案")
    round_objects = _live_round(users, demand=demand, unit=unit_a, entries=(solution, rival))
    subsidy_objects = _subsidies(users, demand=demand, unit=unit_a, work_plan=work_plan,
                                 partner=solution.organisation, foreign=foreign,
                                 foreign_unit=unit_b, foreign_partner=university)

    objects = {
        **matching_objects,
        **round_objects,
        **subsidy_objects,
        "solution": solution,
        "solution_file": solution_file,
        "draft_solution": draft_solution,
        "foreign_solution": foreign_solution,
        "thread": thread,
        "training_material": training_material,
        "training_session": training_session,
        "complaint": complaint,
        "foreign_complaint": foreign_complaint,
        "dispute": dispute,
        "contest": contest,
        "agreement": Agreement.objects.for_scope(contest).first(),
        "field": field_,
        "unit": unit_a,
        "foreign_unit": unit_b,
        "event": unit_a.event,
        "owner_org": owner_org,
        "foreign_org": other_org,
        "demand": demand,
        "consent_token": contact_consent_token(demand),
        "attachment": attachment,
        "draft": draft,
        "submitted": submitted,
        "foreign_demand": foreign,
        "foreign_draft": foreign_draft,
        "proposal": proposal,
        "foreign_proposal": foreign_proposal,
        "access_granted": granted,
        "access_pending": pending_access,
        "foreign_access": foreign_access,
        "notification": notification,
        "subscription": subscription,
        "webhook": webhook,
        "delivery": delivery,
        "membership": pending_membership,
        "foreign_membership": foreign_membership,
        "notice": notice,
        "published_notice": published_notice,
        "api_key": _api_key(users["torch"]),
        **_host_registration(users, unit_a),
        **_news(users, unit_a),
        "foreign_notice": foreign_notice,
        "channel": channel,
        "foreign_channel": foreign_channel,
        "work_plan": work_plan,
        "foreign_plan": foreign_plan,
        "summary_report": summary_report,
        "foreign_summary_report": foreign_summary_report,
        "import_job": import_job,
        "host_membership": host_membership,
        "foreign_host_membership": foreign_host_membership,
        "assignment": assignment,
        "foreign_assignment": foreign_assignment,
        "analysis": analysis,
        "foreign_analysis": foreign_analysis,
        "foreign_event": unit_b.event,
    }
    objects.update({f"user_{persona}": user for persona, user in users.items() if user})
    return World(users=users, objects=objects)


def _matching(users, *, demand, unit, field_, holder, agency_org, owner_org):
    """The achievement library (a public achievement of the challenger's university, a
    staff-only one of an institute), the world's demand's recommendations, unit A's commission
    of the agency for
    that demand, an invitation of the university and an intention agreement awaiting both
    sides."""
    from datetime import timedelta

    from matching.enums import CommissionScope, Visibility
    from matching.models import Achievement, Commission, IntentionAgreement, Invitation
    from matching.services.library import index_fields
    from matching.services.recommend import build_index, refresh_demand

    def achievement(owner=holder, **values):
        row = Achievement(owner=owner, industry_field=field_, trl=6, region="610100",
                          keywords=["热障涂层", "粘结层"], cooperation_modes=["license"],
                          **values)
        index_fields(row)
        row.save()
        return row

    public = achievement(title="热障涂层长寿命粘结层技术",
                         abstract="高温合金涡轮叶片热障涂层粘结层改性，1100℃热循环寿命提高一倍，"
                                  "解决涂层剥落问题。")
    # Of an institute none of the personas belongs to.
    staff_holder = OrganisationFactory(kind=OrganisationKind.INSTITUTE, name="矩阵内部研究所")
    staff_only = achievement(owner=staff_holder, title=STAFF_ACHIEVEMENT,
                             abstract="涡轮叶片涂层热循环剥落的内部改进方案。",
                             visibility=Visibility.STAFF)
    refresh_demand(demand, index=build_index())
    today = timezone.localdate()
    commission = Commission.objects.create(
        host_unit=unit, agency=agency_org, created_by=users["host"],
        scopes=[CommissionScope.ANALYSIS, CommissionScope.HOLDER_SEARCH],
        starts_on=today - timedelta(days=1), ends_on=today + timedelta(days=60))
    commission.demands.set([demand])
    invitation = Invitation.objects.create(demand=demand, holder=holder, achievement=public,
                                           invited_by=users["host"], message="诚邀揭榜")
    agreement = IntentionAgreement.objects.create(
        demand=demand, partner=holder, cooperation_mode="license", amount=Decimal("120"),
        signed_on=today, created_by=users["owner"])
    from datetime import datetime

    from matching.models import CalendarFeed, DockingParticipant, DockingSession

    starts = timezone.make_aware(datetime.combine(today + timedelta(days=7),
                                                  datetime.min.time()).replace(hour=14))
    session = DockingSession.objects.create(
        host_unit=unit, title="矩阵对接会", mode="video", link="https://meeting.example.cn/m",
        starts_at=starts, ends_at=starts + timedelta(hours=2), agenda="路演与交流",
        created_by=users["host"])
    session.demands.set([demand])
    for persona in ("owner", "challenger"):
        DockingParticipant.objects.create(session=session, user=users[persona])
    feed = CalendarFeed.objects.create(user=users["owner"], token="matrix-feed-token")
    return {"docking": session, "calendar_feed": feed,
            "achievement": public, "staff_achievement": staff_only, "commission": commission,
            "invitation": invitation, "intention_agreement": agreement,
            "recommendation": demand.recommendations.first(), "agency_org": agency_org}


def _live_round(users, *, demand, unit, entries):
    """A closed live round of the world's demand, scoring: the granted challenger's institute
    and a rival institute compete (their solutions placed directly, not through the workflow),
    the ``expert`` persona judges with a draft sheet for the first challenger; an award to the
    institute awaits the clause acknowledgements."""
    from datetime import timedelta

    from matching.enums import DEFAULT_CRITERIA, JudgeKind, RoundPart, RoundState
    from matching.models import (
        AgendaItem,
        LiveRound,
        RoundCriterion,
        RoundEntry,
        RoundJudge,
        ScoreSheet,
    )

    live_round = LiveRound.objects.create(
        demand=demand, host_unit=unit, title=ROUND_CANARY, venue="矩阵会议中心",
        starts_at=timezone.now() + timedelta(days=10), state=RoundState.SCORING,
        created_by=users["host"])
    rows = [RoundEntry.objects.create(round=live_round, solution=solution, position=position,
                                      organisation_id=solution.organisation_id)
            for position, solution in enumerate(entries, start=1)]
    AgendaItem.objects.create(round=live_round, part=RoundPart.DOCKING, position=1,
                              title="需求介绍", minutes=10)
    for position, entry in enumerate(rows, start=1):
        AgendaItem.objects.create(round=live_round, part=RoundPart.PITCHING, position=position,
                                  title=f"路演{position}", minutes=8, entry=entry)
    for position, (name, weight) in enumerate(zip(DEFAULT_CRITERIA, (40, 30, 30), strict=True),
                                              start=1):
        RoundCriterion.objects.create(round=live_round, name=name, weight=weight,
                                      position=position)
    judge = RoundJudge.objects.create(round=live_round, user=users["expert"],
                                      kind=JudgeKind.EXPERT, invited_by=users["host"])
    ScoreSheet.objects.create(judge=judge, entry=rows[0])
    from awards.enums import CLAUSE
    from awards.models import Award

    award = Award.objects.create(
        demand=demand, host_unit=unit, live_round=live_round, recipient=rows[0].organisation,
        payer_id=demand.organisation_id, title="矩阵现场赛奖金", amount=Decimal("5"),
        due_on=timezone.localdate() + timedelta(days=30), clause=str(CLAUSE),
        created_by=users["host"])
    from awards.models import TechnologyContract
    from matching.models import IntentionAgreement

    agreement = IntentionAgreement.objects.filter(demand=demand).first()
    contract = TechnologyContract.objects.create(
        agreement=agreement, host_unit=unit, number="JS-MATRIX-001", kind="license",
        amount=Decimal("100"), signed_on=timezone.localdate(), registered_by=users["owner"])
    from awards.models import ServiceRequest

    service_request = ServiceRequest.objects.create(
        host_unit=unit, requester=users["owner"], kind="ip", description="专利布局咨询",
        provider=users["agency"].memberships.first().organisation, assigned_by=users["host"],
        state="assigned")
    from awards.models import FollowUp

    follow_up = FollowUp.objects.create(agreement=agreement, host_unit=unit, months=3,
                                        due_on=timezone.localdate())
    return {"live_round": live_round, "round_entry": rows[0], "round_judge": judge,
            "award": award, "contract": contract, "service_request": service_request,
            "follow_up": follow_up}


def _subsidies(users, *, demand, unit, work_plan, partner, foreign, foreign_unit,
               foreign_partner):
    """Subsidies: unit A's open policy (from its work plan); the world's demand matched by a
    confirmed intention agreement with the granted challenger's institute, under which the
    owner's company applied (awaiting decision, a private supporting file). At unit B: its
    policy, its demand's confirmed agreement, an application, and B's award, contract, service
    request and follow-up (the rows unit A's staff must not reach in admin)."""
    from datetime import timedelta

    from awards.models import (
        Award,
        FollowUp,
        ServiceRequest,
        SubsidyApplication,
        SubsidyPolicy,
        TechnologyContract,
    )
    from matching.enums import AgreementState
    from matching.models import IntentionAgreement

    today = timezone.localdate()
    policy = SubsidyPolicy.objects.create(
        host_unit=unit, work_plan=work_plan, title=SUBSIDY_POLICY_TITLE,
        description="对成功揭榜对接的需求企业给予研发费用补助。", max_amount=Decimal("50"),
        eligibility="需求已签订合作意向协议的企业", opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=60), created_by=users["host"])
    matched = IntentionAgreement.objects.create(
        demand=demand, partner=partner, cooperation_mode="development", amount=Decimal("80"),
        signed_on=today, created_by=users["owner"], state=AgreementState.CONFIRMED)
    application = SubsidyApplication.objects.create(
        policy=policy, host_unit=unit, agreement=matched, organisation_id=demand.organisation_id,
        applicant=users["owner"], amount_asked=Decimal("30"), justification=SUBSIDY_CANARY)
    subsidy_file = PrivateFileFactory(name="补助佐证CANARYSUBSIDY.pdf", attach_to=application,
                                      uploaded_by=users["owner"])

    foreign_policy = SubsidyPolicy.objects.create(
        host_unit=foreign_unit, title=f"乙市补助{FOREIGN_MARK}", description="乙市",
        max_amount=Decimal("20"), eligibility="乙市企业", opens_on=today,
        closes_on=today + timedelta(days=30), created_by=users["other_host"])
    foreign_agreement = IntentionAgreement.objects.create(
        demand=foreign, partner=foreign_partner, cooperation_mode="license",
        amount=Decimal("60"), signed_on=today, created_by=users["other_company"],
        state=AgreementState.CONFIRMED)
    foreign_application = SubsidyApplication.objects.create(
        policy=foreign_policy, host_unit=foreign_unit, agreement=foreign_agreement,
        organisation_id=foreign.organisation_id, applicant=users["other_company"],
        amount_asked=Decimal("10"), justification=f"乙市申请{FOREIGN_MARK}")
    foreign_award = Award.objects.create(
        demand=foreign, host_unit=foreign_unit, recipient=foreign_partner,
        payer_id=foreign.organisation_id, title=f"乙市奖金{FOREIGN_MARK}", amount=Decimal("2"),
        due_on=today + timedelta(days=30), clause="—", created_by=users["other_host"])
    foreign_contract = TechnologyContract.objects.create(
        agreement=foreign_agreement, host_unit=foreign_unit, number="JS-FOREIGN-QZ",
        kind="license", amount=Decimal("60"), signed_on=today,
        registered_by=users["other_company"], priority_note=f"乙市{FOREIGN_MARK}")
    foreign_service = ServiceRequest.objects.create(
        host_unit=foreign_unit, requester=users["other_company"], kind="finance",
        description=f"乙市融资咨询{FOREIGN_MARK}")
    foreign_follow_up = FollowUp.objects.create(
        agreement=foreign_agreement, host_unit=foreign_unit, months=3,
        due_on=today + timedelta(days=90))
    return {"subsidy_policy": policy, "matched_agreement": matched,
            "subsidy_application": application, "subsidy_file": subsidy_file,
            "foreign_subsidy_policy": foreign_policy,
            "foreign_subsidy_application": foreign_application,
            "foreign_award": foreign_award, "foreign_contract": foreign_contract,
            "foreign_service_request": foreign_service, "foreign_follow_up": foreign_follow_up}
