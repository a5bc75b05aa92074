"""The whole program, as `make run` starts it: data and sessions survive a restart; SIGTERM stops it all."""

import asyncio
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest_asyncio
import tornado.testing

from tests.client import Client
from tests.conftest import Outbox, sign_in

ROOT = Path(__file__).resolve().parent.parent
HELLO = "aa5a315d61ae9438b18d"


class RunPy:
    """`python run.py` in a child process, with its own data_dir."""

    def __init__(self, data_dir: Path, github_url: str):
        sock, self.port = tornado.testing.bind_unused_port()
        sock.close()
        self.url = f"http://127.0.0.1:{self.port}"
        self.args = [f"--port={self.port}", f"--site_url={self.url}", f"--data_dir={data_dir}",
                     "--mail_backend=file", f"--github_api_url={github_url}"]
        real = os.environ.get("TORNADOGISTS_TEST_MONGODB_URI")
        if real:
            self.args += [f"--mongodb_uri={real}", f"--mongodb_database=restart_{uuid.uuid4().hex[:8]}"]
        self.process = None

    async def start(self) -> None:
        self.process = subprocess.Popen([sys.executable, "run.py", *self.args], cwd=ROOT)
        client = Client(self.url)
        for _ in range(300):
            try:
                if (await client.get("/healthz")).code == 200:
                    return
            except OSError:
                pass
            await asyncio.sleep(0.1)
        raise AssertionError("run.py did not start")

    async def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return await asyncio.to_thread(self.process.wait, 30)


@pytest_asyncio.fixture
async def program(tmp_path, fake_github):
    running = RunPy(tmp_path, fake_github.base_url)
    yield running
    if running.process and running.process.poll() is None:
        running.process.kill()


def embedded_children(data_dir: Path) -> list[str]:
    found = subprocess.run(["pgrep", "-f", f"tornadogists.embedded_db {data_dir}"], capture_output=True, text=True)
    return found.stdout.split()


async def test_data_and_sessions_survive_a_restart(program, tmp_path):
    await program.start()
    browser = Client(program.url)
    await sign_in(browser, Outbox(tmp_path / "outbox"), "ada@example.com")
    assert (await browser.post("/gists", {"url": HELLO})).code == 303
    assert await program.stop() == 0
    assert embedded_children(tmp_path) == []

    await program.start()
    page = await browser.get(f"/gists/{HELLO}")
    assert page.code == 200 and "Hello, Tornado" in page.text
    assert "Sign out" in page.text  # the session cookie is still valid: the secret was kept
    assert (tmp_path / "cookie_secret").exists()
    assert await program.stop() == 0


async def test_migrate_applies_migrations_and_exits(tmp_path, fake_github):
    args = RunPy(tmp_path, fake_github.base_url).args
    result = await asyncio.to_thread(subprocess.run, [sys.executable, "run.py", "migrate", *args],
                                     cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "applied migration 0001_indexes" in result.stderr
    again = await asyncio.to_thread(subprocess.run, [sys.executable, "run.py", "migrate", *args],
                                    cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert again.returncode == 0 and "applied migration" not in again.stderr
