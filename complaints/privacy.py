"""What the complaints app holds about a person, for their data download (PIPL).

No eraser: a case file is a record of the contest's supervision and stays when its complainant
erases their account (the account itself is anonymised, so the case no longer names them)."""

from accounts.privacy import KEEP, register_model

from .models import Complaint, ComplaintEntry, Dispute, DisputePosition


def export_complaints(user):
    complaints = Complaint.objects.filter(complainant=user).order_by("received_at")
    entries = ComplaintEntry.objects.filter(author=user).select_related("complaint")
    return {
        "complaints": [
            {"number": c.number, "about": c.target_label, "category": c.category,
             "description": c.description, "anonymous": c.anonymous, "state": c.state,
             "received_at": c.received_at, "outcome": c.outcome, "feedback": c.feedback,
             "satisfied": c.satisfied}
            for c in complaints
        ],
        "entries": [{"complaint": e.complaint.number, "kind": e.kind, "text": e.text,
                     "at": e.created_at} for e in entries],
    }


def export_disputes(user):
    positions = DisputePosition.objects.filter(author=user).select_related("dispute")
    disputes = Dispute.objects.filter(side_a=user) | Dispute.objects.filter(side_b=user)
    return {
        "disputes": [{"number": d.number, "subject": d.subject, "state": d.state,
                      "filed_at": d.created_at} for d in disputes.order_by("created_at")],
        "positions": [{"dispute": p.dispute.number, "text": p.text, "at": p.updated_at}
                      for p in positions],
    }


CASE_FILE = ("a case file is the contest's supervision record; the row points at the "
             "anonymised account and holds nothing else of the person")


def register():
    register_model("complaints.Complaint", section="complaints", export=export_complaints,
                   user_fields=["complainant", "taken_over_by", "reviewer", "parties"],
                   erase=KEEP, reason=CASE_FILE)
    register_model("complaints.Dispute", section="disputes", export=export_disputes,
                   user_fields=["side_a", "side_b"], erase=KEEP, reason=CASE_FILE)
    for label, fields in [("complaints.ComplaintTransition", ["actor"]),
                          ("complaints.ComplaintEntry", ["author"]),
                          ("complaints.DisputePosition", ["author"]),
                          ("complaints.MediationRecord", ["mediator"]),
                          ("complaints.DisputeTransition", ["actor"])]:
        register_model(label, user_fields=fields, erase=KEEP, reason=CASE_FILE)
