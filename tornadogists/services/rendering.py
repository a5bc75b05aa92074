"""Markdown and gist files rendered off the IO loop, in child processes with a time limit."""

import asyncio
import logging
import os

from tornadogists.services.gists import build_files
from tornadogists.text import diffs
from tornadogists.text.markdown import plain_html, render_comment, render_markdown
from tornadogists.workers import TooSlow, run_with_time_limit

log = logging.getLogger(__name__)

# Far above what real text needs (a 20,000-character comment renders in well under a
# second, a 1 MB file highlights in seconds), far below what Pygments' lexers can take
# on text made for them: a 20,000-character comment in ```aspectj, ~25 s; 1 MB, hours.
# A gist's files get Settings.render_seconds (30 by default).
MARKDOWN_SECONDS = 2
MANY_SECONDS = 60


def render_all(texts: list[str], image_key: bytes, highlight: bool = True) -> list[str]:
    return [render_markdown(text, highlight, image_key) for text in texts]


def render_one_comment(text: str, image_key: bytes, highlight: bool = True) -> tuple[str, list[str]]:
    return render_comment(text, highlight, image_key)


class Renderer:
    """Renders in child processes, as many at once as there are CPUs, first come first served.

    A child past its time or memory limit is killed and the work done again in a child without
    highlighting; Markdown that fails even so is shown as written, escaped. Nothing runs unbounded
    in the site's own process (issue 22: a 64 KB README once took it down there). Processes, not
    threads: CPU-bound threads would starve the IO loop of the GIL.
    """

    def __init__(self, files_seconds: float, image_key: bytes, concurrency: int | None = None):
        self.files_seconds = files_seconds
        self.image_key = image_key   # signs the image proxy's addresses (text/images.py)
        self._turns = asyncio.Semaphore(concurrency or os.process_cpu_count() or 1)

    async def markdown(self, text: str) -> str:
        """A comment, preview or intro as safe HTML."""
        return (await self._twice(MARKDOWN_SECONDS, render_all, [text], self.image_key) or [plain_html(text)])[0]

    async def comment(self, text: str) -> tuple[str, list[str]]:
        """A comment or its preview as safe HTML, with the handles it mentions (text/mentions.py)."""
        return await self._twice(MARKDOWN_SECONDS, render_one_comment, text, self.image_key) or (plain_html(text), [])

    async def markdown_many(self, texts: list[str]) -> list[str]:
        """Many comments at once (GitHub's, issue 11): one child process, the same time limit for each."""
        seconds = min(MARKDOWN_SECONDS * len(texts), MANY_SECONDS)
        return await self._twice(seconds, render_all, texts, self.image_key) or [plain_html(text) for text in texts]

    async def gist_files(self, github_files: dict, max_file_bytes: int) -> list[dict]:
        """GitHub's files as stored: highlighted lines, rendered Markdown; as plain text when even
        uncoloured that is too slow or too big."""
        return (await self._twice(self.files_seconds, build_files, github_files, max_file_bytes, self.image_key)
                or build_files(github_files, max_file_bytes, highlight=False, markdown=False))

    async def compare(self, old_files: list[dict], new_files: list[dict]) -> list | None:
        """Two revisions' files as highlighted unified diffs (text/diffs.py); None when even
        uncoloured they take longer than render_seconds (difflib is quadratic at worst)."""
        return await self._twice(self.files_seconds, diffs.compare, diffs.slim(old_files), diffs.slim(new_files))

    async def fates(self, old_files: list[dict], new_files: list[dict], names: list[str]) -> dict | None:
        """What became of an old revision's files named `names` (text/diffs.py); None when too slow."""
        return await self._twice(self.files_seconds, diffs.fates, diffs.slim(old_files), diffs.slim(new_files), names)

    async def _twice(self, seconds: float, function, *args):
        """Within the limits coloured, else within them uncoloured, else None: no try runs without a limit."""
        loop = asyncio.get_running_loop()
        async with self._turns:
            for highlight in (True, False):
                try:
                    # `highlight` goes last, by position: the functions take it so.
                    return await loop.run_in_executor(None, run_with_time_limit, seconds, function, *args, highlight)
                except TooSlow as error:
                    log.warning("%s (highlight=%s)", error, highlight)
        return None
