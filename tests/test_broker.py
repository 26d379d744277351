"""The Redis broker transport of config/broker.py, against the real Redis server."""

from kombu import Connection

from tests.settings_probe import evaluated_under

BROKER = "redis://127.0.0.1:6379/12"


def test_channel_keeps_one_client_per_pool_and_messages_still_flow():
    with Connection(BROKER, transport="config.broker:Transport") as connection:
        queue = connection.SimpleQueue("uppdrag-test-broker")
        try:
            queue.clear()
            channel = queue.channel
            client = channel._create_client()
            assert channel._create_client() is client
            assert channel._create_client(asynchronous=True) is not client  # kombu's own

            for n in range(3):
                queue.put({"n": n})
            received = []
            for _ in range(3):
                message = queue.get(timeout=5)
                received.append(message.payload["n"])
                message.ack()  # the QoS pipeline runs on the kept client
            assert received == [0, 1, 2]
            assert channel._create_client() is client

            channel._pool = None  # kombu drops its pool after a lost connection
            replacement = channel._create_client()
            assert replacement is not client
            assert replacement.connection_pool is channel.pool
            queue.put({"n": 3})
            assert queue.get(timeout=5).payload == {"n": 3}
        finally:
            queue.clear()
            queue.close()


def test_settings_choose_it_for_a_redis_broker_only():
    def transport_module(url):
        return evaluated_under(
            {"CELERY_BROKER_URL": url},
            "type(app.connection_for_write().transport).__module__",
            imports="from config.celery import app",
        )

    assert transport_module(BROKER) == "config.broker"
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
    with Connection(BROKER, transport="config.broker:Transport", transport_options=options) as c:
        queue = c.SimpleQueue(name)
        queue.put({"n": 1})
        queue.put({"n": 2})
        held = queue.get(timeout=5)  # taken, not acknowledged
        assert held.payload == {"n": 1}
        assert server.llen(name) == 1
        assert server.keys("unacked*") == []
        queue.close()  # a clean stop: the held message goes back
    assert server.llen(name) == 2
    server.delete(name)
