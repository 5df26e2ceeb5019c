"""Per-channel rate limits: a token bucket shared by every worker (Redis) or by one process.

``take(name, n, rate)`` blocks until ``n`` messages may leave on channel ``name``
at ``rate`` per second (0 or less: no limit). With a broker configured the
bucket lives in Redis, so all worker processes share one limit; the embedded
default keeps it in memory.
"""

import threading
import time

from django.conf import settings

# KEYS[1] bucket; ARGV: rate, capacity, n, now. Returns seconds to wait (0 = taken).
_LUA = """
local rate, capacity, n, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens, at = tonumber(state[1]) or capacity, tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate)
local wait = 0
if tokens >= n then tokens = tokens - n else wait = (n - tokens) / rate end
redis.call('HSET', KEYS[1], 'tokens', tokens, 'at', now)
redis.call('EXPIRE', KEYS[1], 3600)
return tostring(wait)
"""

_local = {}
_lock = threading.Lock()
_script = None


def _redis_wait(name, n, rate, capacity):
    global _script
    if _script is None:
        import redis

        client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
        _script = client.register_script(_LUA)
    return float(_script(keys=[f"lifeline:ratelimit:{name}"], args=[rate, capacity, n, time.time()]))


def _local_wait(name, n, rate, capacity):
    with _lock:
        now = time.monotonic()
        tokens, at = _local.get(name, (capacity, now))
        tokens = min(capacity, tokens + (now - at) * rate)
        if tokens >= n:
            _local[name] = (tokens - n, now)
            return 0.0
        _local[name] = (tokens, now)
        return (n - tokens) / rate


def take(name, n, rate):
    if not rate or rate <= 0 or n <= 0:
        return
    capacity = max(float(n), rate)  # a batch may always leave once the bucket is full
    use_redis = bool(settings.CELERY_BROKER_URL) and settings.CELERY_BROKER_URL.startswith("redis")
    wait_for = _redis_wait if use_redis else _local_wait
    while True:
        wait = wait_for(name, n, rate, capacity)
        if wait <= 0:
            return
        time.sleep(min(wait, 1.0))
