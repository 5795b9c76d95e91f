"""Template helpers for the desk's texts.

{% load desk_content %}
{{ text.body|desk_markdown }}          the Markdown body as safe HTML (kansrijk.desk.rendering)
dir="{{ language|text_dir }}"          "rtl" for Arabic, else "ltr"
"""

from django import template

from kansrijk.desk.forms_pages import text_direction
from kansrijk.desk.rendering import render_markdown

register = template.Library()


@register.filter
def desk_markdown(value):
    return render_markdown(value or "")


@register.filter
def text_dir(language):
    return text_direction(language or "nl")
