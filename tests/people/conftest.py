# The registrar's and the superuser's clients, as the record's tests have them.
from tests.assignments.conftest import registrar, registrar_client, root_client  # noqa: F401
