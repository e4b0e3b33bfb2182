"""Solutions: the granted challenger's institute answered the world's demand (submitted, with a
version, an attachment and a clarification thread whose answer is published); the university
has a draft; another unit's demand has the university's answer. And the live round's rival."""

from django.utils import timezone

from accounts.enums import OrganisationKind
from tests.factories.accounts import OrganisationFactory
from tests.factories.files import PrivateFileFactory
from tests.factories.solutions import SolutionFactory

from .canaries import FOREIGN_MARK, PRIVATE_QUESTION, PUBLISHED_ANSWER, SOLUTION_CANARY


def solutions(users, *, demand, foreign, university):
    """The solutions and the clarification thread, by name."""
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
    return {"solution": solution, "solution_file": solution_file,
            "draft_solution": draft_solution, "foreign_solution": foreign_solution,
            "thread": thread}


def rival_solution(demand):
    """The live round's second challenger: an institute none of the crawled personas belongs
    to, shortlisted."""
    return SolutionFactory(
        demand=demand, organisation=OrganisationFactory(kind=OrganisationKind.INSTITUTE,
                                                        name="矩阵对手研究院"),
        status="shortlisted", title="对手方案")
