"""The confidentiality gate (seed 四(三)): the NDA (保密协议) and disclaimer (免责声明) of the
current contest must be signed, in their current version, before any confidential page.

Agreement versions apply to a scope, an object of the domain that accounts does not import:
the app that owns its model registers it with :func:`register_scope` (contests: Contest, and
the current contest). The functions below take that object (``scope``, a contest).

Other apps use :func:`agreements_required` on function views, :class:`AgreementsRequiredMixin`
on class-based views, and :func:`has_signed_current` where a page only changes what it shows.

The gate fails closed: a kind without any published version cannot be signed, so gated pages
stay closed (the signing page says so) until Torch staff publish one.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import ProtectedError
from django.db.models.signals import pre_delete
from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from .enums import AGREEMENT_KINDS, AgreementKind
from .models import Agreement, AgreementSignature
from .services import sign_agreement  # noqa: F401  (re-exported: the service lives in services)

__all__ = [
    "AgreementStatus",
    "AgreementsRequiredMixin",
    "agreement_status",
    "agreements_required",
    "current_agreement",
    "current_agreements",
    "current_scope",
    "has_signed_current",
    "missing_agreements",
    "register_scope",
    "scope_model",
    "sign_agreement",
    "sign_url",
]


# --- what agreements apply to -----------------------------------------------------------------
@dataclass(frozen=True)
class _Scope:
    model: type
    current: Callable


_scope = None


def register_scope(model, current):
    """Name the model whose objects agreement versions apply to, and ``current()``, which
    returns the object whose versions gate the pages now (or None). Called once, from the
    ``ready()`` of the app that owns the model. Deleting an object that has versions is
    refused (``ProtectedError``), as a foreign key would refuse it."""
    global _scope
    _scope = _Scope(model=model, current=current)
    pre_delete.connect(
        _protect_scope, sender=model, weak=False, dispatch_uid="accounts.agreements.protect_scope"
    )


def scope_model():
    """The registered model agreements apply to, or None."""
    return _scope.model if _scope else None


def current_scope():
    """The object whose agreement versions gate the pages now (the current contest), or None."""
    return _scope.current() if _scope else None


def _protect_scope(sender, instance, **kwargs):
    versions = Agreement.objects.for_scope(instance)
    if versions.exists():
        raise ProtectedError(
            f"{instance!r} has agreement versions: they are never deleted.", set(versions)
        )


def _kinds(kinds):
    if isinstance(kinds, str):
        kinds = (kinds,)
    return tuple(AgreementKind(kind) for kind in (kinds or AGREEMENT_KINDS))


def current_agreements(scope, kinds=AGREEMENT_KINDS):
    """``{kind: Agreement}``: the highest published version of each kind for the scope, in one
    query. Kinds without a published version are absent."""
    kinds = _kinds(kinds)
    if scope is None:
        return {}
    found = {}
    published = (
        Agreement.objects.for_scope(scope)
        .filter(kind__in=kinds, published_at__isnull=False)
        .order_by("kind", "-version")
    )
    for agreement in published:
        found.setdefault(AgreementKind(agreement.kind), agreement)
    return found


def current_agreement(scope, kind):
    """The highest published version of this kind of agreement for the scope, or None."""
    return current_agreements(scope, (kind,)).get(AgreementKind(kind))


@dataclass(frozen=True)
class AgreementStatus:
    kind: AgreementKind
    agreement: Agreement | None  # None: no version published yet
    signature: AgreementSignature | None

    @property
    def signed(self):
        return self.signature is not None


def agreement_status(user, scope, kinds=AGREEMENT_KINDS):
    """One :class:`AgreementStatus` per kind, in the order asked, in two queries."""
    kinds = _kinds(kinds)
    current = current_agreements(scope, kinds)
    signatures = {}
    if current and user is not None and user.is_authenticated:
        signatures = {
            signature.agreement_id: signature
            for signature in AgreementSignature.objects.filter(
                user=user, agreement__in=list(current.values())
            )
        }
    return [
        AgreementStatus(
            kind=kind,
            agreement=current.get(kind),
            signature=signatures.get(current[kind].pk) if kind in current else None,
        )
        for kind in kinds
    ]


def has_signed_current(user, scope, kinds=("nda", "disclaimer")):
    """True when the user signed the current version of every kind asked. False for anonymous
    users, when there is no scope (no contest), or when a kind has no published version."""
    if user is None or not user.is_authenticated or scope is None:
        return False
    return all(status.signed for status in agreement_status(user, scope, kinds))


def missing_agreements(user, scope, kinds=AGREEMENT_KINDS):
    """The current versions the user still has to sign (kinds never published are left out:
    see :func:`agreement_status`)."""
    return [
        status.agreement
        for status in agreement_status(user, scope, kinds)
        if status.agreement is not None and not status.signed
    ]


def sign_url(next_path, kinds=AGREEMENT_KINDS):
    """``/accounts/agreements/sign/?next=<path>&kind=…``."""
    query = urlencode(
        {"next": next_path, "kind": [str(kind) for kind in _kinds(kinds)]}, doseq=True
    )
    return f"{reverse('accounts:agreements_sign')}?{query}"


def _redirect_to_sign(request, kinds):
    url = sign_url(request.get_full_path(), kinds)
    if getattr(request, "htmx", False):
        # An htmx fragment must not swap the signing page into the page: go there whole.
        return HttpResponseClientRedirect(url)
    return redirect(url)


def agreements_required(*kinds):
    """Decorator for function views: sign in, then sign the current version of each kind
    (default: NDA and disclaimer) of the current contest, then come back.

    ``@agreements_required`` and ``@agreements_required("nda")`` both work.
    """
    if len(kinds) == 1 and callable(kinds[0]):
        return agreements_required()(kinds[0])
    wanted = _kinds(kinds)

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not has_signed_current(request.user, current_scope(), wanted):
                return _redirect_to_sign(request, wanted)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class AgreementsRequiredMixin(LoginRequiredMixin):
    """For class-based views; put it first among the bases. Set ``agreement_kinds`` to ask for
    fewer kinds, or override ``get_agreement_scope()``."""

    agreement_kinds = AGREEMENT_KINDS

    def get_agreement_scope(self):
        return current_scope()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not has_signed_current(request.user, self.get_agreement_scope(), self.agreement_kinds):
            return _redirect_to_sign(request, self.agreement_kinds)
        return super().dispatch(request, *args, **kwargs)
