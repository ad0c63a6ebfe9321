"""Content-Security-Policy on every response.

The pages load only the site's own scripts and styles: no inline `<script>`, no `style=""`
attributes, no CDN. A view that cannot live with that (a third-party page such as an API
explorer) says so for itself with `@csp_override(...)`; the global policy is never loosened.
"""

from __future__ import annotations

from functools import wraps

CSP_HEADER = "Content-Security-Policy"

DEFAULT_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def build_policy(**overrides: str) -> str:
    """The default policy with some directives replaced (`script_src="'self' 'unsafe-inline'"`)."""
    directives = DEFAULT_POLICY | {
        name.replace("_", "-"): value for name, value in overrides.items()
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


DEFAULT_HEADER = build_policy()


def csp_override(**overrides: str):
    """Give one view its own policy: the default with the named directives replaced."""
    header = build_policy(**overrides)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            response[CSP_HEADER] = header
            return response

        return wrapped

    return decorator


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # A view that set its own policy (see `csp_override`) keeps it.
        response.headers.setdefault(CSP_HEADER, DEFAULT_HEADER)
        return response
