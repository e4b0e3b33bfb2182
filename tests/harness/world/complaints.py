"""Complaints: an anonymous complaint about the world's demand, a foreign one, and a dispute
over an intention agreement at unit A."""

from .canaries import COMPLAINT_CANARY, FOREIGN_MARK


def complaints(users, *, demand, foreign, unit):
    """The complaints and the dispute, by name."""
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
        filer=users["owner"], host_unit=unit, subject="意向协议争议矩阵",
        other_party_email=users["challenger"].email, position="我方认为对方未按意向协议提供样品。",
    )
    return {"complaint": complaint, "foreign_complaint": foreign_complaint, "dispute": dispute}
