from django import template

from bpdialogue.language import language_versions as versions_of

register = template.Library()


@register.simple_tag(takes_context=True)
def language_versions(context):
    """The current page in each language (`bpdialogue.language.language_versions`); none
    outside a request (e-mails, documents)."""
    request = context.get("request")
    return versions_of(request) if request is not None else []
