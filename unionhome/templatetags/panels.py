"""`{% record_panels "page" name=object … %}`: the blocks other apps offer on this page
(unionhome.extensions.record_panels), for the user of the request."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from unionhome import extensions

register = template.Library()


@register.simple_tag(takes_context=True)
def record_panels(context, page, **objects):
    request = context.get("request")
    if request is None:
        return ""
    panels = extensions.record_panels(request.user, page, **objects)
    return mark_safe("".join(conditional_escape(panel) for panel in panels))
