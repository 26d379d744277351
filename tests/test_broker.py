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
