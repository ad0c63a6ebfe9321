"""The OpenAPI schema and its Swagger UI. api/urls.py imports this module at the first request
for either, not when the URL map loads: drf-spectacular's views bring its generator (and
`django.test`) with them, which no other request needs."""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

schema = SpectacularAPIView.as_view()
# Swagger UI sets style attributes as it renders; only this page may (CONTENT_SECURITY_POLICY).
swagger_ui = csp_update({"style-src": UNSAFE_INLINE})(
    SpectacularSwaggerSplitView.as_view(url_name="api-schema")
)
