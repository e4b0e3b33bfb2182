"""What the dashboards app holds about a person, for the data download and the erasure
(``accounts.privacy``): Torch staff's evaluations and training records stay, anonymised; a
person's reads and attendance go."""

from accounts.privacy import DELETE, KEEP, register_model

ANONYMISED = "the row points at the anonymised account and holds nothing else of the person"


def register():
    register_model("dashboards.HostEvaluation", user_fields=["evaluated_by"], erase=KEEP,
                   reason="Torch staff's evaluation of a host unit; " + ANONYMISED)
    register_model("dashboards.TrainingMaterial", user_fields=["published_by"], erase=KEEP,
                   reason=ANONYMISED)
    register_model("dashboards.TrainingSession", user_fields=["created_by"], erase=KEEP,
                   reason=ANONYMISED)
    register_model("dashboards.MaterialRead", section="training_reads", user_fields=["user"],
                   erase=DELETE)
    register_model("dashboards.SessionAttendance", section="training_attendance",
                   user_fields=["user"], erase=DELETE)
