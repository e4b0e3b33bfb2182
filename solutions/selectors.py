"""Reads of the solutions app."""

from django.db.models import Exists, Min, OuterRef, Subquery

from .models import DemandResponse


def _responses_of_demand():
    return DemandResponse.objects.filter(demand=OuterRef("pk"))


def answered(demands):
    """The demands of ``demands`` that have at least one response."""
    return demands.filter(Exists(_responses_of_demand()))


def unanswered(demands):
    """The demands of ``demands`` that have no response yet."""
    return demands.filter(~Exists(_responses_of_demand()))


def first_response_at(demands):
    """``demands`` annotated with ``first_response_at`` (None while unanswered)."""
    first = (_responses_of_demand().order_by().values("demand")
             .annotate(first=Min("at")).values("first")[:1])
    return demands.annotate(first_response_at=Subquery(first))
