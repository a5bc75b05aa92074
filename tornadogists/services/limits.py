"""Rate limits on anything that sends mail or writes."""

import dataclasses
import datetime
import ipaddress


class RateLimited(Exception):
    """Too many requests; str() is the message shown with the 429."""


async def enforce(rate_limits, key: str, limit: int, window_seconds: int, now, message: str) -> None:
    if await rate_limits.hit(key, window_seconds, now) > limit:
        raise RateLimited(message)


@dataclasses.dataclass(frozen=True)
class Allowance:
    """Where a client stands in the current window: what X-RateLimit-* headers tell it."""

    limit: int
    used: int
    reset: datetime.datetime   # when the window ends and the count starts again

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)

    @property
    def exceeded(self) -> bool:
        return self.used > self.limit


async def meter(rate_limits, key: str, limit: int, window_seconds: int, now) -> Allowance:
    """Count one request like enforce(), but say where the client stands instead of raising."""
    used, reset = await rate_limits.hit_window(key, window_seconds, now)
    return Allowance(limit, used, reset)


def client_network(ip: str) -> str:
    """What a per-client limit counts: an IPv4 address, or an IPv6 /64 (one host owns a whole /64)."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if address.version == 6 and address.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(getattr(address, "ipv4_mapped", None) or address)
