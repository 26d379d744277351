import pytest

from assignments.models import User
from tests.factories import UserFactory


@pytest.fixture
def registrar(demo):
    """Rut Registrator as load_demo sets her up: in the Registrator group, staff, no superuser."""
    return User.objects.get(username="registrator")


@pytest.fixture
def registrar_client(client, registrar):
    client.force_login(registrar)
    return client


@pytest.fixture
def root_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client
