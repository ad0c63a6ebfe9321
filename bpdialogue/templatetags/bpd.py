from django import template

from bpdialogue.text import render_record

register = template.Library()


@register.filter
def record(text):
    """A record's safe Markdown subset as HTML (see `bpdialogue.text.render_record`)."""
    return render_record(text)
