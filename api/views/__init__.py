"""The API's endpoints, one module per kind: the assignments (read), the acts on them (write,
through workflow's services), what waits for me, and the documentation."""
