"""Who sees a complaint: the complainant, the handling unit's staff and Torch staff; the
party complained about sees only what staff share; everyone else gets 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from complaints import services
from complaints.models import Complaint
from files.models import PrivateFile
from tests.complaints.conftest import sign_in
from tests.factories.accounts import UserFactory
from tests.factories.contests import ComplaintChannelFactory, HostMembershipFactory


def _png():
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


def test_the_public_page_lists_agencies_and_the_hotline(client, host_unit):
    ComplaintChannelFactory(host_unit=host_unit, name="西安市投诉受理中心", phone="029-86786000")
    page = client.get(reverse("complaints:index")).content.decode()
    assert "010-88656297" in page and "西安市投诉受理中心" in page and "029-86786000" in page


def test_the_host_unit_page_links_to_filing(client, host_unit):
    page = client.get(host_unit.get_absolute_url()).content.decode()
    assert "010-88656297" in page
    assert f"kind=contests.hostunit&amp;ref={host_unit.slug}" in page


def test_filing_through_the_form_with_evidence(client, challenger, demand, host_organiser):
    sign_in(client, challenger)
    response = client.post(reverse("complaints:create"), {
        "target_key": "demands.demand", "reference": demand.ref, "category": "fairness",
        "description": "不公平", "evidence": [SimpleUploadedFile("证据.png", _png(), "image/png")],
    })
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and response["Location"] == complaint.get_absolute_url()
    evidence = PrivateFile.objects.get()
    assert evidence.content_object == complaint
    # The handling staff may download it; another unit's staff may not.
    sign_in(client, host_organiser)
    assert client.get(evidence.get_absolute_url()).status_code == 200
    sign_in(client, HostMembershipFactory().user)
    assert client.get(evidence.get_absolute_url()).status_code == 404


def test_a_wrong_reference_keeps_what_was_typed(client, challenger):
    sign_in(client, challenger)
    response = client.post(reverse("complaints:create"), {
        "target_key": "demands.demand", "reference": "D-0000-000000", "category": "fairness",
        "description": "我写的描述",
    })
    page = response.content.decode()
    assert response.status_code == 200 and "我写的描述" in page
    assert "Nothing of this kind has that reference." in page


@pytest.mark.parametrize("who, status", [
    ("complainant", 200), ("host", 200), ("torch", 200),
    ("party", 404), ("other_host", 404), ("stranger", 404),
])
def test_who_sees_the_case(client, complaint, challenger, host_organiser, torch_staff,
                           other_host_organiser, demand_owner, who, status):
    user = {"complainant": challenger, "host": host_organiser, "torch": torch_staff,
            "party": demand_owner, "other_host": other_host_organiser,
            "stranger": UserFactory()}[who]
    sign_in(client, user)
    response = client.get(complaint.get_absolute_url())
    assert response.status_code == status
    if status == 404:
        assert "CASE-TEXT" not in response.content.decode()
    audit = client.get(reverse("complaints:audit_export", args=[complaint.number]))
    assert audit.status_code == (200 if who in ("host", "torch") else 404)


def test_the_party_sees_only_what_is_shared(client, complaint, host_organiser, demand_owner,
                                            challenger):
    services.add_note(complaint, actor=host_organiser, text="内部备注NOTE")
    services.share_with_party(complaint, actor=host_organiser, text="请说明情况SHARED")
    sign_in(client, demand_owner)
    page = client.get(reverse("complaints:party", args=[complaint.number])).content.decode()
    assert "SHARED" in page
    for secret in ("CASE-TEXT", "NOTE", challenger.email, str(challenger)):
        assert secret not in page
    response = client.post(reverse("complaints:party", args=[complaint.number]),
                           {"text": "我方答复RESPONSE"})
    assert response.status_code == 302
    # Staff read the answer; the complainant reads neither the note nor the answer.
    sign_in(client, host_organiser)
    assert "RESPONSE" in client.get(complaint.get_absolute_url()).content.decode()
    sign_in(client, challenger)
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert "RESPONSE" not in page and "NOTE" not in page and "CASE-TEXT" in page
    # The complainant gets 404 on the party's page.
    assert client.get(reverse("complaints:party", args=[complaint.number])).status_code == 404


def test_staff_act_through_the_page(client, complaint, host_organiser):
    sign_in(client, host_organiser)
    client.post(reverse("complaints:act", args=[complaint.number]), {"to": "declined"})
    complaint.refresh_from_db()
    assert complaint.state == "received"  # no reason: refused
    client.post(reverse("complaints:act", args=[complaint.number]),
                {"to": "declined", "reason": "超出受理范围"})
    complaint.refresh_from_db()
    assert complaint.state == "declined"


def test_the_handling_list_is_scoped_and_flat_in_queries(client, host_unit, host_organiser,
                                                         other_host_organiser, challenger,
                                                         demand, django_assert_max_num_queries):
    for _ in range(6):
        services.file_complaint(complainant=challenger, target_key="demands.demand",
                                reference=demand.ref, category="process", description="x")
    sign_in(client, host_organiser)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("complaints:handle")).content.decode()
    assert page.count("/complaints/TS") == 6
    sign_in(client, other_host_organiser)
    assert client.get(reverse("complaints:handle")).content.decode().count("/complaints/TS") == 0
    sign_in(client, challenger)
    assert client.get(reverse("complaints:handle")).status_code == 404


def test_disputes_positions_and_mediation(client, host_unit, host_organiser, demand_owner,
                                          challenger, other_host_organiser):
    sign_in(client, demand_owner)
    response = client.post(reverse("complaints:dispute_create"), {
        "host_unit": host_unit.pk, "subject": "样品交付争议",
        "other_party_email": challenger.email, "position": "对方未交付样品",
    })
    assert response.status_code == 302
    dispute = demand_owner.disputes_filed.get()
    sign_in(client, challenger)
    client.post(reverse("complaints:dispute_position", args=[dispute.number]),
                {"text": "样品已于五月寄出"})
    sign_in(client, host_organiser)
    client.post(reverse("complaints:dispute_mediation", args=[dispute.number]),
                {"held_on": "2026-05-10", "text": "双方同意重新检测"})
    client.post(reverse("complaints:dispute_close", args=[dispute.number]),
                {"settled": "yes", "outcome": "调解成功"})
    dispute.refresh_from_db()
    assert dispute.state == "settled" and dispute.outcome == "调解成功"
    assert [p.text for p in dispute.positions.all()] == ["对方未交付样品", "样品已于五月寄出"]
    sign_in(client, other_host_organiser)
    assert client.get(dispute.get_absolute_url()).status_code == 404
