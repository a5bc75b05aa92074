"""Start TornadoGists: `python run.py [migrate] [--key=value ...]` (see --help)."""

import asyncio
import logging
import signal
import sys
import time

from tornadogists.config import ConfigError, help_text, load_settings
from tornadogists.processes import Workers, check_port_free, worker_count
from tornadogists.server import Site, cookie_secret

log = logging.getLogger("tornadogists")


async def serve(settings, argv: list[str], migrate_only: bool) -> int:
    """Serve until SIGINT or SIGTERM; the exit status (1: workers kept failing to start)."""
    started = time.monotonic()
    site = await Site(settings).open()
    workers = None
    try:
        if migrate_only:
            log.info("migrations applied")
            return 0
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        count = worker_count(settings)
        if count == 1:
            site.listen()
        else:
            workers = start_workers(site, count, argv, stop)
        log.info("TornadoGists on %s (listening on %s:%d, %d process%s, ready in %.1fs)", settings.site_url,
                 settings.address, settings.port, count, "es" if count > 1 else "", time.monotonic() - started)
        await stop.wait()
        log.info("shutting down")
        return 1 if workers and workers.gave_up else 0
    finally:
        await site.close(workers)


def start_workers(site, count: int, argv: list[str], stop: asyncio.Event) -> Workers:
    cookie_secret(site.settings)  # generated here once: every worker must sign cookies alike
    check_port_free(site.settings)
    # The parent's own settings (from the same app.cfg and environment), plus the database it started.
    embedded = [f"--mongodb_uri={site.embedded.uri}"] if site.embedded else []
    workers = Workers(count, argv + embedded + [f"--search_engine={site.search_engine}"], give_up=stop.set)
    workers.start()
    return workers


def main(argv: list[str]) -> int:
    if "--help" in argv or "-h" in argv:
        print(help_text())
        return 0
    migrate_only = bool(argv) and argv[0] == "migrate"
    try:
        settings = load_settings(argv[1:] if migrate_only else argv)
    except ConfigError as error:
        print(f"tornadogists: {error}", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return asyncio.run(serve(settings, argv[1:] if migrate_only else argv, migrate_only))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
