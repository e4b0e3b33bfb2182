"""The contest, its two host units (A and B) and what each unit keeps: notices, complaint
channels, work plans, summary reports; host registration at unit A."""

from django.utils import timezone

from tests.factories.accounts import UserFactory
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

from .canaries import FOREIGN_MARK


def contest_and_units():
    """The contest, its industry field, unit A (event 7) and the foreign unit B (event 8)."""
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
    return contest, field_, unit_a, unit_b


def unit_records(unit_a, unit_b):
    """Each unit's notice, complaint channel, work plan and summary report; A's also has a
    published notice."""
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
    return {
        "notice": notice,
        "foreign_notice": foreign_notice,
        "published_notice": published_notice,
        "channel": channel,
        "foreign_channel": foreign_channel,
        "work_plan": work_plan,
        "foreign_plan": foreign_plan,
        "summary_report": summary_report,
        "foreign_summary_report": foreign_summary_report,
    }


def host_registration(users, unit):
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
