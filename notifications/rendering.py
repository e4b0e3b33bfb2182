"""Rendering of notification templates in the recipient's language, as plain text."""

from dataclasses import dataclass

from django.conf import settings
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
