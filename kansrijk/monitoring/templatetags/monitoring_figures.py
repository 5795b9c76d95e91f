from django import template

from kansrijk.monitoring import charts

register = template.Library()


@register.simple_tag
def figure_chart(figure):
    """The figure's SVG chart (empty when it has none)."""
    return charts.render(figure)
