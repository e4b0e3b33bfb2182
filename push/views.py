"""Pages of the push: a user's demand subscriptions, and the Torch Center's webhooks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.errors import show_error
from common.regions import region_name
from notifications import services as outbox_services

from . import selectors, webhooks
from . import subscriptions as subscription_services
from .forms import DeliveryForm, SubscriptionForm, WebhookForm
from .matching import KIND
from .models import Webhook
from .permissions import may_manage_webhooks

DELIVERIES_PER_PAGE = 25


# --- subscriptions ----------------------------------------------------------------------------
def _own_subscription_or_404(request, pk):
    subscription = selectors.subscription_of(request.user, pk)
    if subscription is None:
        raise Http404
    return subscription


def _delivery_form(request, data=None):
    mode = outbox_services.preferences_of(request.user)[KIND]
    return DeliveryForm(data, initial={"mode": mode})


@login_required
def subscriptions(request):
    rows = [{"subscription": subscription,
             "regions": [(code, region_name(code)) for code in subscription.regions]}
            for subscription in selectors.subscriptions_of(request.user)]
    return render(request, "push/subscriptions/list.html", {
        "rows": rows,
        "delivery_form": _delivery_form(request),
        "max_subscriptions": subscription_services.MAX_SUBSCRIPTIONS,
    })


@login_required
@require_POST
def subscription_delivery(request):
    form = _delivery_form(request, request.POST)
    if form.is_valid():
        outbox_services.set_preferences(request.user, {KIND: form.cleaned_data["mode"]})
        messages.success(request, _("Your choice is saved."))
    else:
        messages.error(request, _("Choose how you want to receive new demands."))
    return redirect("notifications:subscriptions")


def _save_subscription(request, form, subscription=None):
    """Run the service for a valid form; a refusal goes to the form, whose input stays."""
    try:
        if subscription is None:
            subscription_services.create_subscription(request.user, **form.service_arguments())
        else:
            subscription_services.update_subscription(subscription, **form.service_arguments())
    except subscription_services.SubscriptionError as error:
        show_error(request, error, form)
        return False
    return True


@login_required
def subscription_create(request):
    form = SubscriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _save_subscription(request, form):
        messages.success(request, _("Subscribed: new demands that match will reach you."))
        return redirect("notifications:subscriptions")
    return render(request, "push/subscriptions/form.html", {"form": form})


@login_required
def subscription_edit(request, pk):
    subscription = _own_subscription_or_404(request, pk)
    if request.method == "POST":
        form = SubscriptionForm(request.POST)
        if form.is_valid() and _save_subscription(request, form, subscription):
            messages.success(request, _("Your subscription is saved."))
            return redirect("notifications:subscriptions")
    else:
        form = SubscriptionForm(subscription=subscription)
    return render(request, "push/subscriptions/form.html",
                  {"form": form, "subscription": subscription})


@login_required
def subscription_delete(request, pk):
    subscription = _own_subscription_or_404(request, pk)
    if request.method == "POST":
        subscription_services.delete_subscription(subscription)
        messages.success(request, _("The subscription is deleted."))
        return redirect("notifications:subscriptions")
    return render(request, "push/subscriptions/delete.html",
                  {"subscription": subscription})


# --- webhooks (Torch Center staff) ------------------------------------------------------------
def _require_torch(request):
    if not may_manage_webhooks(request.user):
        raise Http404


def _webhook_or_404(pk):
    webhook = Webhook.objects.prefetch_related("fields").filter(pk=pk).first()
    if webhook is None:
        raise Http404
    return webhook


@login_required
def webhook_list(request):
    _require_torch(request)
    hooks = webhooks.webhooks_for_list().prefetch_related("fields")
    return render(request, "push/webhooks/list.html", {
        "webhooks": hooks,
        "failed_pushes": selectors.failed_pushes().count(),
    })


@login_required
def webhook_create(request):
    _require_torch(request)
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            webhook = webhooks.create_webhook(
                actor=request.user, request=request, name=form.cleaned_data["name"],
                url=form.cleaned_data["url"], fields=form.cleaned_data["fields"])
        except ValidationError as error:
            form.add_error("url", error)
        else:
            messages.success(request, _("The webhook is registered. Give its signing secret "
                                        "to the partner."))
            return redirect("notifications:webhook_detail", pk=webhook.pk)
    return render(request, "push/webhooks/form.html", {"form": form})


@login_required
def webhook_detail(request, pk):
    _require_torch(request)
    webhook = _webhook_or_404(pk)
    page_obj = Paginator(webhooks.deliveries_of(webhook), DELIVERIES_PER_PAGE).get_page(
        request.GET.get("page"))
    return render(request, "push/webhooks/detail.html", {
        "webhook": webhook,
        "page_obj": page_obj,
        "deliveries": page_obj.object_list,
        "signature_header": webhooks.SIGNATURE_HEADER,
    })


@login_required
@require_POST
def webhook_toggle(request, pk):
    _require_torch(request)
    webhook = _webhook_or_404(pk)
    active = request.POST.get("active") == "1"
    webhooks.set_active(webhook, active, actor=request.user, request=request)
    messages.success(request, _("The webhook is on.") if active else
                     _("The webhook is off: it gets no new deliveries."))
    return redirect("notifications:webhook_detail", pk=webhook.pk)


@login_required
@require_POST
def webhook_delivery_retry(request, pk, delivery_pk):
    _require_torch(request)
    webhook = _webhook_or_404(pk)
    if not webhook.deliveries.filter(pk=delivery_pk).exists():
        raise Http404
    if webhooks.retry_deliveries([delivery_pk], actor=request.user, request=request):
        messages.success(request, _("The delivery will be sent again."))
    else:
        messages.info(request, _("Only a failed delivery can be sent again."))
    return redirect("notifications:webhook_detail", pk=webhook.pk)
