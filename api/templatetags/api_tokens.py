from django import template

from .. import tokens

register = template.Library()


@register.simple_tag
def personal_tokens(user):
    """The person's active API tokens, for their settings page."""
    return list(tokens.active_tokens_of(user))
