"""Clarification threads (在线交流): a challenger asks about a published demand; the owner's side
(its members, or host staff for it) answers privately, or publishes the question with an
answer to everyone who may read the demand, without the asker's identity. This replaces the
one-way message to the owner (``demands.services.access.send_message``)."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from accounts.permissions import is_challenger
from audit.services import log_action
from demands.enums import DemandStatus
from demands.models import Demand
from demands.public.projection import hidden_values_of, invalidate_public_cache
from demands.services.access import has_signed_agreements, owner_admins

from .. import permissions
from ..models import ClarificationMessage, ClarificationThread, ThreadRead
from .base import SolutionError, member_ids, notify_ids

MAX_LENGTH = 2000


def _text(text):
    text = (text or "").strip()
    if not text:
        raise SolutionError(gettext("Write something first."), code="empty", field="text")
    if len(text) > MAX_LENGTH:
        raise SolutionError(gettext("Keep it under %(max)d characters.") % {"max": MAX_LENGTH},
                            code="too_long", field="text")
    return text


def thread_url(thread):
    return reverse("solutions:thread", kwargs={"pk": thread.pk})


def _owner_side_ids(demand):
    """Who answers: the owner's administrators (all members when it has none)."""
    admins = [user.pk for user in owner_admins(demand)]
    return admins or member_ids(demand.organisation_id)


def ask(demand, *, asker, text, request=None):
    """A challenger who signed the NDA asks the owner a question about a published demand."""
    text = _text(text)
    with transaction.atomic():
        demand = Demand.objects.select_for_update().get(pk=demand.pk)
        if demand.status != DemandStatus.PUBLISHED:
            raise SolutionError(gettext("Questions can be asked about open demands only."),
                                code="not_open")
        if not is_challenger(asker):
            raise SolutionError(gettext("Only challengers can ask questions."), code="denied")
        if not has_signed_agreements(asker, demand):
            raise SolutionError(gettext("Sign the current non-disclosure agreement and "
                                        "disclaimer first."), code="agreements")
        thread = ClarificationThread.objects.create(demand=demand, asker=asker, question=text)
        # The question is the thread's first message (the owner's side has it unread).
        message = ClarificationMessage.objects.create(thread=thread, author=asker, text=text,
                                                      created_at=thread.created_at)
        ThreadRead.objects.create(thread=thread, user=asker, read_at=message.created_at)
        log_action("portal.solutions.question_asked", actor=asker, obj=demand, request=request,
                   data={"thread": thread.pk, "length": len(text)})
        notify_ids(_owner_side_ids(demand), kind="solution.question",
                   key=f"thread:{thread.pk}:asked", url=thread_url(thread), obj=demand,
                   context={"demand": demand.ref, "demand_title": demand.title,
                            "text": text})
    return thread


def reply(thread, *, author, text, request=None):
    """A reply in a thread, from the asker or from the owner's side; the other side is told."""
    text = _text(text)
    with transaction.atomic():
        thread = (ClarificationThread.objects.select_for_update(of=("self",))
                  .select_related("demand").get(pk=thread.pk))
        owner_side = permissions.can_answer_clarifications(author, thread.demand)
        if not owner_side and author.pk != thread.asker_id:
            raise SolutionError(gettext("You may not write in this thread."), code="denied")
        now = timezone.now()
        message = ClarificationMessage.objects.create(thread=thread, author=author, text=text,
                                                      from_owner_side=owner_side,
                                                      created_at=now)
        thread.last_message_at = now
        thread.save(update_fields=["last_message_at"])
        mark_read(thread, author, at=now)
        log_action("portal.solutions.clarification_reply", actor=author, obj=thread.demand,
                   request=request, data={"thread": thread.pk, "owner_side": owner_side})
        recipients = [thread.asker_id] if owner_side else _owner_side_ids(thread.demand)
        notify_ids(recipients, kind="solution.clarification_reply",
                   key=f"thread:{thread.pk}:message:{message.pk}", url=thread_url(thread),
                   obj=thread.demand, skip=author,
                   context={"demand": thread.demand.ref, "text": text})
    return message


def hidden_value_in(demand, text):
    """The first value the owner hid that occurs in ``text``, or ``""``."""
    for value in hidden_values_of(demand):
        if value.strip() and value.strip() in text:
            return value.strip()
    return ""


def publish(thread, *, actor, question, answer, request=None):
    """The owner's side publishes the question (reworded if need be) with its answer to everyone
    who may read the demand, without the asker's identity. Refused when either text contains a
    value the owner hid from the public (the guard of the public projection)."""
    question, answer = _text(question), _text(answer)
    with transaction.atomic():
        thread = (ClarificationThread.objects.select_for_update(of=("self",))
                  .select_related("demand__organisation").get(pk=thread.pk))
        demand = thread.demand
        if not permissions.can_answer_clarifications(actor, demand):
            raise SolutionError(gettext("Only the owner or its host unit may publish answers."),
                                code="denied")
        for name, text in (("question", question), ("answer", answer)):
            if hidden_value_in(demand, text):
                raise SolutionError(
                    gettext("This text contains a detail the owner hid from the public; remove "
                            "it before publishing."), code="hidden_value", field=name)
        asker = thread.asker
        for identity in filter(None, (asker.email, getattr(asker, "full_name", ""))):
            if len(identity) >= 2 and (identity in question or identity in answer):
                raise SolutionError(gettext("Published texts must not name the asker."),
                                    code="asker_identity", field="question")
        now = timezone.now()
        thread.published_question, thread.published_answer = question, answer
        thread.published_at, thread.published_by = now, actor
        thread.save(update_fields=["published_question", "published_answer", "published_at",
                                   "published_by"])
        log_action("portal.solutions.clarification_published", actor=actor, obj=demand,
                   request=request, data={"thread": thread.pk})
        notify_ids([thread.asker_id], kind="solution.clarification_reply",
                   key=f"thread:{thread.pk}:published", url=thread_url(thread), obj=demand,
                   skip=actor, context={"demand": demand.ref, "text": answer})
        invalidate_public_cache(demand)
    return thread


def unpublish(thread, *, actor, request=None):
    with transaction.atomic():
        thread = (ClarificationThread.objects.select_for_update(of=("self",))
                  .select_related("demand").get(pk=thread.pk))
        if not permissions.can_answer_clarifications(actor, thread.demand):
            raise SolutionError(gettext("Only the owner or its host unit may unpublish answers."),
                                code="denied")
        ClarificationThread.objects.filter(pk=thread.pk).update(
            published_at=None, published_question="", published_answer="")
        log_action("portal.solutions.clarification_unpublished", actor=actor, obj=thread.demand,
                   request=request, data={"thread": thread.pk})
        invalidate_public_cache(thread.demand)
    return thread


def mark_read(thread, user, *, at=None):
    """The user has read the thread up to now."""
    at = at or timezone.now()
    updated = ThreadRead.objects.filter(thread=thread, user=user, read_at__lt=at).update(read_at=at)
    if not updated:
        ThreadRead.objects.get_or_create(thread=thread, user=user, defaults={"read_at": at})


__all__ = ["ask", "hidden_value_in", "mark_read", "publish", "reply", "unpublish"]
