"""Monitoring's own data. Each part lives in its own module; Django finds them all here."""

from .models_births import LiveBirths  # noqa: F401
from .models_monthly import MonthlyCases  # noqa: F401
from .models_planner import CapacityPlan  # noqa: F401
