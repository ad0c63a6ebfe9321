"""The workspace's form for a partner's webhook endpoint: the fields
`bpdialogue.webhooks.webhook_endpoint_create` and `webhook_endpoint_update` take."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from bpdialogue.models import ApiKey, WebhookEndpoint, WebhookEvent
from participants.models import Dialogue

# An endpoint only reads: `write` says nothing about what it may hear of.
READ_SCOPES = [choice for choice in ApiKey.Scope.choices if choice[0] != ApiKey.Scope.WRITE]


class WebhookEndpointForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=200,
        help_text=WebhookEndpoint._meta.get_field("name").help_text,
    )
    url = forms.URLField(
        label="URL",
        max_length=500,
        assume_scheme="https",
        # The model's, which admit http and https only.
        validators=WebhookEndpoint._meta.get_field("url").validators,
        help_text=gettext_lazy("Where events are POSTed."),
    )
    description = forms.CharField(
        label=gettext_lazy("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    event_types = forms.MultipleChoiceField(
        label=gettext_lazy("Events"),
        choices=WebhookEvent.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("None ticked: every event."),
    )
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("Audience"),
        choices=READ_SCOPES,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "What it may hear of, as an API key with these scopes would read it."
        ),
    )
    dialogue = forms.ModelChoiceField(
        queryset=Dialogue.objects.order_by("name"),
        label=gettext_lazy("Dialogue"),
        required=False,
        empty_label=gettext_lazy("Every dialogue"),
        help_text=WebhookEndpoint._meta.get_field("dialogue").help_text,
    )

    @classmethod
    def of(cls, endpoint: WebhookEndpoint, data=None):
        """The form filled in with `endpoint`'s values."""
        initial = {name: getattr(endpoint, name) for name in cls.base_fields}
        return cls(data, initial=initial)
