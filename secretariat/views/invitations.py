"""Inviting a meeting's participants: the choice of recipients and the text, and the log of
what was sent to whom, with a resend for what failed."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from meetings.invitations import (
    invitation_delivery_resend,
    invitation_invitees,
    invitation_send,
    invitation_texts,
)
from meetings.models import InvitationDelivery
from meetings.selectors import meeting_invitation_log

from .. import forms
from ..access import secretariat_only
from ..editing import apply_errors
from ..parts import meeting_tab
from .common import form_status, render_tab, workspace_meeting


@secretariat_only
def meeting_invitations(request, slug):
    meeting = workspace_meeting(slug)
    invitees = invitation_invitees(meeting=meeting)
    earlier = list(invitation_texts(meeting=meeting))
    reused = next((r for r in earlier if str(r.uid) == request.GET.get("reuse")), None)
    initial = {"subject": reused.subject, "text": reused.text} if reused else {}
    form = forms.InvitationForm(request.POST or None, invitees=invitees, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invitation_send(
                meeting=meeting,
                subject=form.cleaned_data["subject"],
                text=form.cleaned_data["text"],
                participant_ids=form.cleaned_data["participants"],
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            count = invitation.deliveries.count()
            messages.success(
                request,
                ngettext(
                    "Invitation queued for %(count)d focal point.",
                    "Invitation queued for %(count)d focal points.",
                    count,
                )
                % {"count": count},
            )
            return redirect(meeting_tab(meeting, "invitations"))
    context = {
        "form": form,
        "earlier": earlier,
        "without_focal_point": [i for i in invitees if not i.focal_points],
        "rounds": meeting_invitation_log(meeting=meeting),
    }
    return render_tab(request, meeting, "invitations", context, form_status(form))


@secretariat_only
@require_POST
def invitation_resend(request, slug, uid):
    meeting = workspace_meeting(slug)
    delivery = get_object_or_404(InvitationDelivery, invitation__meeting=meeting, uid=uid)
    if invitation_delivery_resend(delivery=delivery):
        messages.success(
            request,
            gettext("The invitation to %(email)s is queued again.") % {"email": delivery.email},
        )
    else:
        messages.error(
            request,
            gettext("The invitation to %(email)s is already on its way.")
            % {"email": delivery.email},
        )
    return redirect(meeting_tab(meeting, "invitations") + f"#delivery-{delivery.uid}")
