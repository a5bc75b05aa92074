"""Rate limits on anything that sends mail or writes."""


class RateLimited(Exception):
    """Too many requests; str() is the message shown with the 429."""


async def enforce(rate_limits, key: str, limit: int, window_seconds: int, now, message: str) -> None:
    if await rate_limits.hit(key, window_seconds, now) > limit:
        raise RateLimited(message)
