"""The solutions sections of the workspace dashboard (see ``accounts.workspace``)."""

from accounts.enums import RoleCode
from accounts.workspace import register_section

from . import permissions, selectors

SHOWN = 5


def my_solutions_context(request):
    """Challengers: their latest solutions with status, deadline and next step, and the demands
    they were granted access to but have not answered."""
    user = request.user
    if RoleCode.CHALLENGER not in user.role_codes():
        return None
    solutions = selectors.my_solutions(user)
    return {"solutions": list(solutions[:SHOWN]), "total": solutions.count(),
            "unanswered": list(selectors.unanswered_by_me(user)[:SHOWN]),
            "unread": selectors.unread_count(user)}


def board_context(request):
    user = request.user
    if not permissions.can_see_board(user):
        return None
    return {"unanswered": selectors.unanswered_board(user).count()}


def register():
    register_section("solutions_mine", "solutions/workspace/my_solutions.html",
                     my_solutions_context, order=55)
    register_section("solutions_board", "solutions/workspace/board.html", board_context,
                     order=56)
