"""HTTP for the process, one module per kind of page: the assignment page and its forms
(assignment), the decision page (decision), viewflow's task pages (tasks) and the audit
trail (audit)."""
