from django import template

from .. import calendar_tokens

register = template.Library()


@register.simple_tag
def calendar_feed_of(user):
    """The person's working calendar address (its row, never its secret), for their settings
    page; None when they have none."""
    return calendar_tokens.active_token_of(user)
