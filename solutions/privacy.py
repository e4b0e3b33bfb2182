"""What the solutions app holds about a person, for the data download and the erasure
(``accounts.privacy``). A solution, its versions and the clarification exchange belong to the
organisation and the contest; an erased person's rows stay, pointing at the anonymised account."""

from accounts.privacy import DELETE, KEEP, register_model

ANONYMISED = "the row points at the anonymised account and holds nothing else of the person"


def register():
    register_model("solutions.Solution", section="solutions", user_fields=["created_by"],
                   erase=KEEP, reason="the organisation's answer to a demand, a contest record; "
                                      + ANONYMISED)
    register_model("solutions.SolutionVersion", user_fields=["created_by"], erase=KEEP,
                   reason=ANONYMISED)
    register_model("solutions.SolutionTransition", user_fields=["actor"], erase=KEEP,
                   reason=ANONYMISED)
    register_model("solutions.DemandResponse", user_fields=["actor"], erase=KEEP,
                   reason="the record that a demand was answered; " + ANONYMISED)
    register_model("solutions.HostResponse", user_fields=["author"], erase=KEEP,
                   reason="host staff's written response to a demand; " + ANONYMISED)
    register_model("solutions.ClarificationThread", section="clarification_questions",
                   user_fields=["asker", "published_by"], erase=KEEP,
                   reason="the question belongs to the demand's exchange and never shows its "
                          "asker; " + ANONYMISED)
    register_model("solutions.ClarificationMessage", section="clarification_messages",
                   user_fields=["author"], erase=KEEP, reason=ANONYMISED)
    register_model("solutions.ThreadRead", user_fields=["user"], erase=DELETE)
