"""Every write of publicity: saving an item (its rich text sanitised) with its images and
attachments. Scheduling needs no task: an item shows once its ``publish_at`` has come."""

import nh3
from django.db import transaction
from django.utils.translation import gettext

from accounts.permissions import is_torch_staff
from audit.services import log_action
from common.errors import DomainError
from contests.permissions import is_host_staff_of

from .models import NewsItem

# What the rich text may hold: structure, emphasis, links, tables and images. No script,
# no style, no event handler, no iframe: under the portal's CSP nothing inline would run
# anyway, and the sanitiser (nh3, the Rust ammonia library) removes it before it is stored.
TAGS = {"p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "blockquote",
        "ul", "ol", "li", "a", "img", "figure", "figcaption", "table", "thead", "tbody",
        "tr", "th", "td", "hr", "code", "pre", "sup", "sub"}
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title", "width", "height"},
              "th": {"colspan", "rowspan", "scope"}, "td": {"colspan", "rowspan"}}
URL_SCHEMES = {"http", "https", "mailto"}


class NewsError(DomainError):
    """A refused change of a news item; ``message`` is shown to the user as is."""


def sanitise(html):
    return nh3.clean(html or "", tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer nofollow", strip_comments=True)


def _check(actor, host_unit):
    if host_unit is None:
        if not is_torch_staff(actor):
            raise NewsError(gettext("Only the Torch Center publishes national news."),
                            field="host_unit")
    elif not (is_torch_staff(actor) or is_host_staff_of(actor, host_unit)):
        raise NewsError(gettext("You publish only for your own host units."), field="host_unit")


def save_item(*, actor, item=None, kind, title, summary, body, host_unit, publish_at,
              uploads=(), request=None):
    """Create (``item`` None) or change a news item, sanitising its text; store its uploads
    (images and attachments) as files of the item, public once it is published."""
    from files.enums import FileKind
    from files.services import store_upload

    _check(actor, host_unit)
    if item is not None:
        _check(actor, item.host_unit)
    with transaction.atomic():
        if item is None:
            item = NewsItem(created_by=actor)
        else:
            item = NewsItem.objects.select_for_update().get(pk=item.pk)
        was_published = item.is_published
        item.kind, item.title, item.summary = kind, title.strip(), (summary or "").strip()
        item.body, item.host_unit, item.publish_at = sanitise(body), host_unit, publish_at
        created = item.pk is None
        item.save()
        for upload in uploads:
            if upload:
                image = (upload.content_type or "").startswith("image/")
                store_upload(upload, kind=FileKind.IMAGE if image else FileKind.ATTACHMENT,
                             uploaded_by=actor, attach_to=item, public_safe=True)
        log_action("portal.news.created" if created else "portal.news.changed", actor=actor,
                   obj=item, request=request,
                   data={"title": item.title, "host_unit": item.host_unit_id,
                         "publish_at": item.publish_at.isoformat() if item.publish_at else None,
                         "was_published": was_published})
    return item
