"""Score sheets of a live round: judges score one challenger at a time, saved as typed under a
lock on the judge's row, locked and digested on submit."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import log_action

from ..enums import RoundState, SheetState
from ..models import JudgeConflict, LiveRound, RoundJudge, Score, ScoreSheet
from ..scoring import sheet_digest
from .round_base import RoundError


def conflicted(judge, entry):
    return (
        judge.recused_at is not None
        or JudgeConflict.objects.filter(judge=judge, entry=entry).exists()
    )


def _parse(value, live_round, criterion):
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise RoundError(_("A score is a number."), field=f"c{criterion.pk}") from None
    if not number.is_finite():
        raise RoundError(_("A score is a number."), field=f"c{criterion.pk}")
    # The range first: a huge number ("1E27") cannot even be rounded to one decimal.
    if not live_round.score_min <= number <= live_round.score_max:
        raise RoundError(
            _("Scores run from %(low)s to %(high)s.")
            % {"low": live_round.score_min, "high": live_round.score_max},
            field=f"c{criterion.pk}",
        )
    if number != number.quantize(Decimal("0.1")):
        raise RoundError(_("Scores have at most one decimal."), field=f"c{criterion.pk}")
    return number


def _lock_sheet(live_round, user, entry):
    judge = RoundJudge.objects.select_for_update().filter(round=live_round, user=user).first()
    if judge is None:
        raise RoundError(_("You are not a judge of this round."), code="permission_denied")
    if entry.round_id != live_round.pk:
        raise RoundError(_("Unknown challenger."), code="permission_denied")
    if conflicted(judge, entry):
        raise RoundError(
            _("You have a conflict of interest with this challenger and may not score it."),
            code="conflict",
        )
    round_state = LiveRound.objects.values_list("state", flat=True).get(pk=live_round.pk)
    if round_state != RoundState.SCORING:
        raise RoundError(_("Scoring is not open."), code="state")
    sheet, _created = ScoreSheet.objects.get_or_create(judge=judge, entry=entry)
    sheet = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
    if sheet.state == SheetState.SUBMITTED:
        raise RoundError(_("This sheet is submitted and locked."), code="locked")
    return judge, sheet


def save_scores(live_round, entry, *, user, values, comment=None, request=None):
    """Save what the judge has typed so far (``values``: {criterion id: text}; blanks are
    left unscored). The judge's row is locked, so two tabs of one judge queue up and eight
    judges at once each write their own sheet."""
    criteria = {c.pk: c for c in live_round.criteria.all()}
    parsed = {}
    for key, value in values.items():
        criterion = criteria.get(int(key)) if str(key).isdigit() else None
        if criterion is None:
            raise RoundError(_("Unknown criterion."), code="criterion")
        if str(value).strip() == "":
            parsed[criterion.pk] = None
            continue
        parsed[criterion.pk] = _parse(value, live_round, criterion)
    with transaction.atomic():
        _judge, sheet = _lock_sheet(live_round, user, entry)
        for criterion_id, number in parsed.items():
            if number is None:
                Score.objects.filter(sheet=sheet, criterion_id=criterion_id).delete()
            else:
                Score.objects.update_or_create(
                    sheet=sheet, criterion_id=criterion_id, defaults={"value": number}
                )
        if comment is not None:
            sheet.comment = comment
        sheet.save(update_fields=["comment", "updated_at"])
    return sheet


def sheet_scores(sheet):
    return dict(sheet.scores.values_list("criterion_id", "value"))


def compute_digest(sheet, scores=None):
    return sheet_digest(
        round_id=sheet.entry.round_id,
        judge_user_id=sheet.judge.user_id,
        entry_id=sheet.entry_id,
        scores=sheet_scores(sheet) if scores is None else scores,
        comment=sheet.comment,
        signed_name=sheet.signed_name,
        submitted_at=sheet.submitted_at,
    )


def verify(sheet):
    """The stored digest equals the digest of the sheet as it is now."""
    return (
        bool(sheet.digest)
        and sheet.submitted_at is not None
        and (compute_digest(sheet) == sheet.digest)
    )


def submit_sheet(live_round, entry, *, user, signed_name, request=None):
    """Lock the judge's sheet of ``entry``: every criterion scored, signed with the judge's
    name; the digest is stored."""
    signed_name = (signed_name or "").strip()
    if not signed_name:
        raise RoundError(_("Sign the sheet with your name."), field="signed_name")
    with transaction.atomic():
        _judge, sheet = _lock_sheet(live_round, user, entry)
        scores = sheet_scores(sheet)
        missing = [c.name for c in live_round.criteria.all() if c.pk not in scores]
        if missing:
            raise RoundError(
                _("Score every criterion first: %(names)s.") % {"names": "、".join(missing)},
                code="incomplete",
            )
        sheet.signed_name = signed_name
        sheet.submitted_at = timezone.now()
        sheet.state = SheetState.SUBMITTED
        sheet.digest = compute_digest(sheet, scores)
        sheet.save(update_fields=["signed_name", "submitted_at", "state", "digest", "updated_at"])
        log_action(
            "portal.matching.round.sheet_submit",
            actor=user,
            obj=sheet,
            data={"round": live_round.pk, "entry": entry.pk, "digest": sheet.digest},
            request=request,
        )
    return sheet

