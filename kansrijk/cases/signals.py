"""Signals of the cases app, for other apps to keep what they derive from cases correct."""

from django.dispatch import Signal

#: Sent after a guarded update of a case (services._save_guarded), inside its transaction, with `case` (the
#: case as it is now) and `old` ({field name: value before} for the fields that changed). A queryset update
#: sends no post_save, so this is how e.g. the monthly figures (monitoring.monthly) hear of a first visit.
case_updated = Signal()
