"""What the registry tells the apps built on it.

`recorded` is sent by audit.record for every entry it writes, inside the writer's transaction,
with `entry` (the AuditEntry). Every change of the record is audited, so an app that must follow
every change (reminders replans the assignment the entry is about) listens here instead of
asking each writer to remember it. The registry imports none of its listeners.

Listeners read the database, so a writer records its entry after it has saved the change
(many-to-many fields included), as every writer does.
"""

from django.dispatch import Signal

recorded = Signal()
