"""Rendering of notification templates in the recipient's language, as plain text."""

from dataclasses import dataclass
from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth import get_user_model
from django.template import Context, engines
from django.urls import reverse
from django.utils import timezone, translation

RESERVED_CONTEXT_NAMES = frozenset({"recipient", "url", "site_url", "portal_name", "now"})


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str
    inapp: str
    link: str
    language: str


def language_of(user):
    """The user's chosen interface language, or the site default."""
    language = getattr(user, "language", "") or ""
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def absolute_url(path):
    if not path:
        return ""
    return settings.SITE_URL.rstrip("/") + path


def render_text(template_name, context):
    """Render a template without HTML escaping: e-mail is plain text, and the inbox escapes
    the stored text when it displays it."""
    template = engines["django"].engine.get_template(template_name)
    return template.render(Context(context, autoescape=False))


def one_line(text, max_length=255):
    return " ".join(text.split())[:max_length]


def render_kind(kind, *, recipient, context, url=""):
    """Subject, body and inbox line of one notification, in the recipient's language."""
    language = language_of(recipient)
    link = absolute_url(url)
    with translation.override(language):
        full_context = {
            **context,
            "recipient": recipient,
            "url": link,
            "site_url": settings.SITE_URL,
            "portal_name": str(settings.PORTAL_NAME),
            "now": timezone.now(),
        }
        return Rendered(
            subject=one_line(render_text(kind.template("subject.txt"), full_context)),
            body=render_text(kind.template("body.txt"), full_context).strip() + "\n",
            inapp=render_text(kind.template("inapp.txt"), full_context).strip(),
            link=link,
            language=language,
        )


def render_digest(*, recipient, items, day):
    """Subject and body of one daily digest of ``items`` (OutboundEmail rows)."""
    language = language_of(recipient)
    with translation.override(language):
        context = {
            "recipient": recipient,
            "items": items,
            "day": day,
            "site_url": settings.SITE_URL,
            "portal_name": str(settings.PORTAL_NAME),
            "preferences_url": absolute_url(reverse("notifications:preferences")),
        }
        subject = one_line(render_text("notifications/digest/subject.txt", context))
        body = render_text("notifications/digest/body.txt", context).strip() + "\n"
    return subject, body, language


# --- rendering one event for many recipients ------------------------------------------------
# Recipient values a kind's templates may use; anything else makes that language fall back to
# rendering for each recipient (correct, only slower).
_MARK = "\ue000{}\ue001"
MARKS = {
    "short_name": _MARK.format("S"),
    "full_name": _MARK.format("F"),
    "email": _MARK.format("E"),
    "str": _MARK.format("N"),
}
_PROBES = frozenset({"do_not_call_in_templates", "alters_data", "silent_variable_failure",
                     "resolve_expression", "__html__"})


class _NeedsRecipient(Exception):
    """A template asked the stand-in for something only a real recipient has."""


class _StandIn:
    """A recipient rendered as markers, replaced by each recipient's values afterwards."""

    email = MARKS["email"]
    full_name = MARKS["full_name"]

    def get_short_name(self):
        return MARKS["short_name"]

    def get_full_name(self):
        return MARKS["full_name"]

    def __str__(self):
        return MARKS["str"]

    def __getattr__(self, name):
        if name in _PROBES or name.startswith("_"):
            raise AttributeError(name)
        raise _NeedsRecipient(name)


@dataclass(frozen=True)
class Recipient:
    pk: int
    email: str
    full_name: str
    language: str
    is_active: bool
    mode: str

    def user(self):
        """The recipient's own row, for a template that needs more than these values."""
        return get_user_model().objects.get(pk=self.pk)

    def values(self):
        # The user model's own methods, on this row's values: building a model instance per
        # recipient would cost more than the rest of the row.
        User = get_user_model()
        return {MARKS["short_name"]: User.get_short_name(self),
                MARKS["full_name"]: User.get_full_name(self),
                MARKS["email"]: self.email,
                MARKS["str"]: User.__str__(self)}


def _fill(text, values):
    for mark, value in values.items():
        text = text.replace(mark, value)
    return text


class BatchRenderer:
    """Renders a kind once per language with markers in place of the recipient's values, and
    fills each recipient's values in; falls back to one render per recipient when the
    templates use more of the recipient than the stand-in offers, or a filter changed a
    marker. Measured with ``bench`` (fan-out step, 20,000 subscribers): 12.8 s against 27.2 s
    for rendering every recipient's templates, so the fan-out keeps it."""

    def __init__(self, spec, context, url):
        self.spec, self.context, self.url = spec, context, url
        self._by_language = {}

    def render(self, recipient):
        language = language_of(recipient)
        if language not in self._by_language:
            self._by_language[language] = self._render_template(language)
        shared = self._by_language[language]
        if shared is None:
            return render_kind(self.spec, recipient=recipient.user(), context=self.context,
                               url=self.url)
        values = recipient.values()
        subject = one_line(_fill(shared.subject, values))
        body = _fill(shared.body, values)
        inapp = _fill(shared.inapp, values)
        if "\ue000" in subject + body + inapp:  # a filter changed a marker: render exactly
            return render_kind(self.spec, recipient=recipient.user(), context=self.context,
                               url=self.url)
        return SimpleNamespace(subject=subject, body=body, inapp=inapp, link=shared.link,
                               language=shared.language)

    def _render_template(self, language):
        stand_in = _StandIn()
        stand_in.language = language
        try:
            return render_kind(self.spec, recipient=stand_in, context=self.context,
                               url=self.url)
        except _NeedsRecipient:
            return None
