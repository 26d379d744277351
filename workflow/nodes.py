"""A parallel split that starts one task per item (one approval per decision-maker).

viewflow 2.4's Split documents a `data_source` but does not pass it on; this does.
"""

from viewflow.workflow import Activation
from viewflow.workflow.exceptions import FlowRuntimeError
from viewflow.workflow.flow import Split
from viewflow.workflow.nodes.split import SplitActivation


class SplitPerItemActivation(SplitActivation):
    @Activation.status.super()
    def activate(self):
        for node, case, data_source in self.flow_task._branches:
            if case and not case(self):
                continue
            if data_source:
                self.next_tasks.extend((node, item) for item in data_source(self))
            else:
                self.next_tasks.append((node, None))
        if not self.next_tasks:
            raise FlowRuntimeError(f"No next task available for {self.flow_task.name}")


class SplitPerItem(Split):
    activation_class = SplitPerItemActivation

    def Next(self, node, case=None, data_source=None):  # noqa: N802 (viewflow's API style)
        self._activate_next.append((node, case, data_source))
        return self
