"""Publicity pages: the public list, detail and feed; staff's list and editor."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from accounts.permissions import is_torch_staff
from common.errors import DomainError, show_error
from contests.models import HostUnit
from contests.permissions import staffed_host_unit_ids
from files.enums import FileKind
from files.selectors import files_for_object

from . import selectors, services
from .forms import NewsItemForm
from .permissions import edits_item


def news_list(request):
    page = Paginator(selectors.published_items(), 20).get_page(request.GET.get("page"))
    return render(request, "news/list.html", {
        "page_obj": page, "items": page.object_list,
        "may_write": is_torch_staff(request.user) or bool(staffed_host_unit_ids(request.user)),
    })


def news_detail(request, pk):
    item = get_object_or_404(selectors.items_visible_to(request.user)
                             .select_related("host_unit__event"), pk=pk)
    return render(request, "news/detail.html", {
        "item": item, "files": files_for_object(item),
        "may_edit": edits_item(request.user, item),
    })


class NewsFeed(Feed):
    """The latest published news and announcements (RSS 2.0), linked on ``SITE_URL``."""

    title = _("China Innovation Challenge · news and announcements")
    description = _("News and announcements of the China Innovation Challenge.")

    def feed_url(self):
        return _absolute(reverse("news:feed"))

    def link(self):
        return _absolute(reverse("news:list"))

    def items(self):
        return selectors.published_items()[:30]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary or item.body

    def item_link(self, item):
        return _absolute(item.get_absolute_url())

    def item_pubdate(self, item):
        return item.publish_at


def _absolute(path):
    return settings.SITE_URL.rstrip("/") + path


def _editor_or_404(request):
    if not (is_torch_staff(request.user) or staffed_host_unit_ids(request.user)):
        raise Http404


def _units(user):
    units = HostUnit.objects.select_related("event").order_by("event__number", "pk")
    return units if is_torch_staff(user) else units.filter(pk__in=staffed_host_unit_ids(user))


@never_cache
@login_required
def manage_list(request):
    _editor_or_404(request)
    return render(request, "news/manage_list.html", {
        "items": selectors.editable_items(request.user)[:200],
    })


@never_cache
@login_required
def manage_edit(request, pk=None):
    _editor_or_404(request)
    item = None
    if pk is not None:
        item = get_object_or_404(selectors.editable_items(request.user), pk=pk)
    initial = {}
    if item is not None:
        initial = {"kind": item.kind, "title": item.title, "summary": item.summary,
                   "body": item.body, "host_unit": item.host_unit,
                   "publish_at": item.publish_at}
    form = NewsItemForm(request.POST if request.method == "POST" else None,
                        request.FILES or None, initial=initial,
                        units=_units(request.user), national=is_torch_staff(request.user))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        uploads = [data.pop("image"), data.pop("attachment")]
        try:
            saved = services.save_item(actor=request.user, item=item, uploads=uploads,
                                       request=request, **data)
        except DomainError as error:
            show_error(request, error, form)
        else:
            messages.success(request, gettext("Saved."))
            return redirect("news:manage_edit", pk=saved.pk)
    files = list(files_for_object(item)) if item else []
    return render(request, "news/manage_edit.html", {
        "form": form, "item": item, "files": files,
        "images": [file for file in files if file.kind == FileKind.IMAGE],
    }, status=400 if form.errors else 200)
