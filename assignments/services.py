"""Moved: the milestone services are workflow.services' (how an assignment moves), since they
replan its reminders, which the registry does not import (issue 16: no import cycle).

Transitional, for one merge only: workflow/views.py (the pages branch's) still imports them
from here as `registry`. When it imports them from workflow.services, delete this module.
"""

from workflow.services import change_milestone_status, move_milestone_due

__all__ = ["change_milestone_status", "move_milestone_due"]
