"""The whole program, as `make run` starts it: data and sessions survive a restart; SIGTERM stops it all."""

import asyncio
import subprocess
import sys

from tests.client import Client
from tests.conftest import Outbox, sign_in
from tests.program import ROOT, RunPy, program  # noqa: F401 - a fixture
HELLO = "aa5a315d61ae9438b18d"


async def test_data_and_sessions_survive_a_restart(program, tmp_path):
    await program.start()
    browser = Client(program.url)
    await sign_in(browser, Outbox(tmp_path / "outbox"), "ada@example.com")
    assert (await browser.post("/gists", {"url": HELLO})).code == 303
    assert await program.stop() == 0
    assert program.database_pids() == []

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
