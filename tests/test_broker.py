"""The Redis broker: kombu's Redis transport as shipped, against the real Redis server."""

from kombu import Connection

from tests.environment import REDIS_URL
from tests.settings_probe import evaluated_under

BROKER = REDIS_URL  # this worker's own Redis database


def test_settings_choose_kombus_own_transport_for_each_broker_url():
    def transport_module(url):
        return evaluated_under(
            {"CELERY_BROKER_URL": url},
            "type(app.connection_for_write().transport).__module__",
            imports="from config.celery import app",
        )

    assert transport_module(BROKER) == "kombu.transport.redis"
    assert transport_module("filesystem://") == "kombu.transport.filesystem"


def redis_transport_options() -> dict:
    import ast

    options = evaluated_under(
        {"CELERY_BROKER_URL": BROKER},
        "settings.CELERY_BROKER_TRANSPORT_OPTIONS",
        imports="from django.conf import settings",
    )
    return ast.literal_eval(options)


def test_redis_keeps_no_copy_of_a_delivered_message_and_a_clean_stop_puts_it_back():
    """Without kombu's ack emulation (config/settings.py) a delivered message costs no round
    trips for a copy and its removal; the outbox lease, not the broker, brings a lost send
    back. A consumer that stops cleanly still returns the messages it holds."""
    import redis

    options = redis_transport_options()
    assert options == {"ack_emulation": False}
    server = redis.Redis.from_url(BROKER)
    for key in server.keys("unacked*"):  # left by another test's ack emulation
        server.delete(key)
    name = "uppdrag-test-no-ack-copy"
    with Connection(BROKER, transport_options=options) as connection:
        queue = connection.SimpleQueue(name)
        queue.put({"n": 1})
        queue.put({"n": 2})
        held = queue.get(timeout=5)  # taken, not acknowledged
        assert held.payload == {"n": 1}
        assert server.llen(name) == 1
        assert server.keys("unacked*") == []
        queue.close()  # a clean stop: the held message goes back
    assert server.llen(name) == 2
    server.delete(name)
