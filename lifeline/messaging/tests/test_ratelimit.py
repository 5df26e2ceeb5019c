import pytest

from lifeline.messaging import ratelimit


def test_the_local_bucket_lets_a_burst_through_then_asks_to_wait():
    ratelimit._local.clear()
    assert ratelimit._local_wait("sms-test", 10, rate=10, capacity=10) == 0
    wait = ratelimit._local_wait("sms-test", 5, rate=10, capacity=10)
    assert 0.4 < wait <= 0.5  # five tokens at ten a second
    assert ratelimit._local_wait("other-channel", 10, rate=10, capacity=10) == 0  # buckets are per channel


def test_no_rate_means_no_limit():
    ratelimit.take("sms-test", 10**6, rate=0)


def _redis_up(url):
    try:
        import redis

        return redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:
        return False


@pytest.mark.skipif(not _redis_up("redis://127.0.0.1:6379/13"), reason="needs Redis on 127.0.0.1:6379")
def test_the_redis_bucket_is_shared_by_every_process(settings):
    import os

    import redis

    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/13"
    ratelimit._script = None
    name = f"test-{os.getpid()}"
    try:
        assert ratelimit._redis_wait(name, 10, rate=10, capacity=10) == 0
        assert 0.4 < ratelimit._redis_wait(name, 5, rate=10, capacity=10) <= 0.5
    finally:
        redis.Redis.from_url(settings.CELERY_BROKER_URL).delete(f"lifeline:ratelimit:{name}")
        ratelimit._script = None
