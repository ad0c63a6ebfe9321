"""Partners' webhook endpoints: the list, registering one, its page (edit, rotate the secret,
disable or enable, the delivery log with "resend"). The rules are `bpdialogue.webhooks`', as
for `manage.py create_webhook`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bpdialogue import webhooks
from bpdialogue.models import WebhookDelivery, WebhookEndpoint

from .. import selectors
from ..access import secretariat_only
from ..editing import apply_errors
from ..webhook_forms import WebhookEndpointForm
from .common import form_status

# A new secret waits in the session for the endpoint's page, which shows it once.
NEW_SECRET = "secretariat.webhook_secret"


@secretariat_only
def webhook_list(request):
    form = WebhookEndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint, secret = webhooks.webhook_endpoint_create(
                **form.cleaned_data, created_by=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            request.session[NEW_SECRET] = {"id": endpoint.pk, "secret": secret}
            return redirect("secretariat:webhook", pk=endpoint.pk)
    context = {"form": form, "endpoints": selectors.webhook_endpoints()}
    return render(request, "secretariat/webhooks.html", context, status=form_status(form))


@never_cache
@secretariat_only
def webhook_detail(request, pk):
    endpoint = get_object_or_404(WebhookEndpoint.objects.select_related("dialogue"), pk=pk)
    form = WebhookEndpointForm.of(endpoint, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            webhooks.webhook_endpoint_update(endpoint=endpoint, changes=form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, gettext("The webhook “%(name)s” is saved.") % {"name": endpoint.name}
            )
            return redirect("secretariat:webhook", pk=endpoint.pk)
    issued = request.session.get(NEW_SECRET)
    secret = None
    if issued and issued["id"] == endpoint.pk:
        secret = request.session.pop(NEW_SECRET)["secret"]
    context = {
        "endpoint": endpoint,
        "form": form,
        "secret": secret,
        "deliveries": selectors.webhook_deliveries(endpoint=endpoint),
    }
    return render(request, "secretariat/webhook_detail.html", context, status=form_status(form))


@secretariat_only
@require_POST
def webhook_rotate(request, pk):
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    secret = webhooks.webhook_endpoint_rotate_secret(endpoint=endpoint)
    request.session[NEW_SECRET] = {"id": endpoint.pk, "secret": secret}
    return redirect("secretariat:webhook", pk=endpoint.pk)


@secretariat_only
@require_POST
def webhook_toggle(request, pk):
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    if endpoint.enabled:
        webhooks.webhook_endpoint_disable(
            endpoint=endpoint, reason=f"Disabled by {request.user.get_username()}."
        )
        messages.success(request, gettext("Disabled: nothing is sent until it is enabled again."))
    else:
        webhooks.webhook_endpoint_enable(endpoint=endpoint)
        messages.success(request, gettext("Enabled: what waited is sent within a minute."))
    return redirect("secretariat:webhook", pk=endpoint.pk)


@secretariat_only
@require_POST
def webhook_resend(request, pk):
    delivery = get_object_or_404(WebhookDelivery, pk=pk)
    webhooks.webhook_delivery_resend(delivery=delivery)
    messages.success(
        request, gettext("%(event)s is being sent again.") % {"event": delivery.event_type}
    )
    return redirect("secretariat:webhook", pk=delivery.endpoint_id)
