"""What the registry tells the apps built on it.

`recorded` is sent by audit.record for every entry it writes, inside the writer's transaction,
with `entry` (the AuditEntry). Every change of the record is audited, so an app that must follow
every change (reminders replans the assignment the entry is about) listens here instead of
asking each writer to remember it. The registry imports none of its listeners.

Listeners read the database, so a writer records its entry after it has saved the change
(many-to-many fields included), as every writer does.

`write_ended` is sent when a write of several entries ends (audit.one_write: a draft and its
rows, a transition and what goes with it), still inside the writer's transaction, with
`completed` (False when the write raised: its transaction is rolled back). A listener that
must act on each entry may gather what a write's entries ask for while audit.in_write() is true
and act once per thing when the write ends.
"""

from django.dispatch import Signal

recorded = Signal()
write_ended = Signal()
