"""Start TornadoGists: `python run.py [migrate] [--key=value ...]` (see --help)."""

import asyncio
import logging
import signal
import sys
import time

from tornadogists.config import ConfigError, help_text, load_settings
from tornadogists.server import Site

log = logging.getLogger("tornadogists")


async def serve(settings, migrate_only: bool) -> None:
    started = time.monotonic()
    site = await Site(settings).open()
    try:
        if migrate_only:
            log.info("migrations applied")
            return
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        site.listen()
        log.info("TornadoGists on %s (listening on %s:%d, ready in %.1fs)",
                 settings.site_url, settings.address, settings.port, time.monotonic() - started)
        await stop.wait()
        log.info("shutting down")
    finally:
        await site.close()


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
    asyncio.run(serve(settings, migrate_only))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
