"""The Redis broker transport, keeping one client per connection pool.

kombu 5.7's Redis channel builds a new redis.Redis object for every short command it sends
outside the consuming connection: each publish (the sweep's pipelines of send tasks) and,
with ack emulation on, the two QoS pipelines of each message. Building one fills a table of
~170 response callbacks; profiling a worker, while ack emulation was still on, showed that
costing ~15 % of the time of a task that does nothing. A redis.Redis client is thread-safe
and takes its connections from the pool, so this channel keeps one per pool and builds a new
one only when kombu has replaced the pool (after a lost connection). settings.py selects it
for redis:// broker URLs.
"""

from kombu.transport import redis as kombu_redis


class Channel(kombu_redis.Channel):
    _pool_client = None

    def _create_client(self, asynchronous=False):
        if asynchronous:  # the consuming connection: kombu keeps that one itself
            return super()._create_client(asynchronous=True)
        client = self._pool_client
        if client is None or client.connection_pool is not self.pool:
            client = self._pool_client = super()._create_client()
        return client


class Transport(kombu_redis.Transport):
    Channel = Channel
