from django.contrib.auth.forms import PasswordResetForm
from django.contrib.sites.shortcuts import get_current_site

from .services import password_reset_request


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's password-reset form, which only asks for the e-mail: looking the address up
    and sending happen in a task (`password_reset_request`), so known and unknown addresses
    take the same time."""

    def save(self, *, request, use_https=False, domain_override=None, **kwargs):
        password_reset_request(
            email=self.cleaned_data["email"],
            domain=domain_override or get_current_site(request).domain,
            use_https=use_https,
        )
