"""Numbers on the reports pages in the page language: thousands grouped ("12 500" in French), one percent format."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def count(value):
    """Return a whole number with its thousands grouped as the page language writes them; text (``< 5``) as is."""
    if isinstance(value, bool) or not isinstance(value, int):
        return value
    return number_format(value, use_l10n=True, force_grouping=True)


@register.filter
def percent(value):
    """Return a share with one decimal and the page language's percent sign, such as "29,4 %" in French."""
    if value is None or isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    shown = number_format(value, decimal_pos=1, use_l10n=True, force_grouping=True)
    return _("%(percent)s %%") % {"percent": shown}
