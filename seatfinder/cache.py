"""Django's Redis cache with one more operation: a request counter that costs one round trip.

django-ratelimit's get_usage asks the cache twice (`add`, then `incr`), and Django's Redis `incr` checks
EXISTS first: three round trips per limited request (bench/rate_limit_bench.py counted them, and measured
the postcode API at half its throughput). `count_in_window` is one INCR and, on a window's first request,
its EXPIRE, run as one Lua script on the server: atomic, and any Redis version.
"""

from django.core.cache.backends.redis import RedisCache
from django.utils.functional import cached_property

COUNT_IN_WINDOW = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
"""


class CountingRedisCache(RedisCache):
    @cached_property
    def _count_script(self):
        """The script, sent by its SHA after the first time, on a client kept for this cache object (Django
        makes a new client for every operation, which costs about as much CPU as the command itself)."""
        return self._cache.get_client(write=True).register_script(COUNT_IN_WINDOW)

    def count_in_window(self, key: str, seconds: int) -> int:
        """Adds one to the counter under `key` (made as every key of this cache is), which expires `seconds`
        after its first count; returns the count."""
        return int(self._count_script(keys=[self.make_and_validate_key(key)], args=[seconds]))
