from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SolutionsConfig(AppConfig):
    name = "solutions"
    verbose_name = _("Solutions")

    def ready(self):
        from demands.hooks import register_ended, register_links
        from files.selectors import register_attached_model
        from notifications.kinds import register as register_kind

        # Importing registers the solutions.* permissions and the Celery tasks.
        from . import permissions, privacy, tasks, workspace  # noqa: F401
        from .models import Solution
        from .selectors import solutions_visible_to
        from .services.solutions import on_demand_ended

        register_attached_model(Solution, solutions_visible_to)
        register_ended(on_demand_ended)
        from .links import demand_links

        register_links(demand_links)
        workspace.register()
        privacy.register()
        from . import summary_figures

        summary_figures.register()
        register_kind("solution.submitted", _("Solutions submitted to my demands"))
        register_kind("solution.revised", _("Changes to solutions of my demands"))
        register_kind("solution.status_changed", _("Decisions on my solutions"))
        register_kind("solution.demand_ended", _("Demands I answered that were closed or "
                                                 "withdrawn"))
        register_kind("solution.question", _("Questions about my demands"))
        register_kind("solution.clarification_reply", _("Replies in clarification threads"))
        register_kind("solution.overdue", _("Unanswered demands past the response deadline"))
