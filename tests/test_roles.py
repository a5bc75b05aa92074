"""Roles: `public` serves all but /admin, `admin` only /admin (and static files); a stalled admin process
leaves the public one answering."""

import asyncio
import signal
import time

from tests.client import Client
from tests.discussion import HELLO, person, submit  # noqa: F401 - a fixture
from tests.moderation import ADMIN, another_site
from tests.program import RunPy


async def as_on(client, url: str) -> Client:
    """The same browser (its cookies) talking to another process of the site."""
    other = Client(url)
    other.cookies = dict(client.cookies)
    return other


async def test_a_public_process_serves_everything_but_the_admin_area(site, settings, signed_in, person):
    await submit(signed_in)
    admin = await person(ADMIN)
    async with another_site(settings, role="public") as public:
        there = await as_on(admin, public.site_url)
        for path in ("/", f"/gists/{HELLO}", "/healthz", "/feeds/gists.atom", "/static/site.css"):
            assert (await there.get(path)).code == 200, path
        for path in ("/admin", "/admin/reports", "/admin/log"):
            assert (await there.get(path)).code == 404, path
        page = (await there.get(f"/gists/{HELLO}")).text
        assert f'href="/admin/gists/{HELLO}"' in page   # links still point there: nginx sends them on
        there.close()


async def test_an_admin_process_serves_only_the_admin_area_and_static_files(site, settings, signed_in, person):
    await submit(signed_in)
    admin = await person(ADMIN)
    async with another_site(settings, role="admin") as admin_site:
        there, reader = await as_on(admin, admin_site.site_url), await as_on(signed_in, admin_site.site_url)
        for path in ("/admin", "/admin/reports", "/admin/held", "/admin/people", f"/admin/gists/{HELLO}",
                     "/admin/log", "/healthz", "/static/site.css", "/static/admin.css"):
            assert (await there.get(path)).code == 200, path
        for path in ("/", f"/gists/{HELLO}", "/login", "/feeds/gists.atom", "/api/v1/gists", "/search?q=x"):
            assert (await there.get(path)).code == 404, path
        assert (await there.post(f"/gists/{HELLO}/comments", {"body": "hello"})).code == 404
        assert (await reader.get("/admin")).code == 404   # still admins only
        response = await there.post(f"/admin/gists/{HELLO}", {"action": "hide", "reason": "from the admin process"})
        assert response.code == 303
        there.close()
        reader.close()
    # The public process sees the change (one database, and the page version poller).
    anonymous = Client(settings.site_url)
    for _ in range(40):
        if (await anonymous.get(f"/gists/{HELLO}")).code == 404:
            break
        await asyncio.sleep(0.1)
    assert (await anonymous.get(f"/gists/{HELLO}")).code == 404
    anonymous.close()


async def test_a_stalled_admin_process_does_not_delay_public_pages(site, settings, database_uri, signed_in, person,
                                                                   tmp_path, fake_github):
    """The admin process is run.py in a process of its own (as behind nginx); it is frozen (SIGSTOP) in the
    middle of a dashboard — the slowest a dashboard query can be — while the public site is read."""
    await submit(signed_in)
    admin = await person(ADMIN)
    (tmp_path / "admin").mkdir()
    process = RunPy(tmp_path / "admin", fake_github.base_url)
    process.args = [arg for arg in process.args if not arg.startswith("--mongodb")] + [
        "--role=admin", f"--mongodb_uri={database_uri}", f"--mongodb_database={settings.mongodb_database}",
        f"--cookie_secret={settings.cookie_secret}", f"--admins={settings.admins}"]
    await process.start()
    there, anonymous = await as_on(admin, process.url), Client(settings.site_url)
    try:
        assert (await there.get("/admin")).code == 200
        process.process.send_signal(signal.SIGSTOP)
        try:
            dashboard = asyncio.ensure_future(there.get("/admin"))
            await asyncio.sleep(0.5)
            assert not dashboard.done()
            for path in ("/healthz", "/", f"/gists/{HELLO}", "/feeds/gists.atom"):
                started = time.monotonic()
                assert (await anonymous.get(path)).code == 200, path
                assert time.monotonic() - started < 1, path
        finally:
            process.process.send_signal(signal.SIGCONT)
        assert (await dashboard).code == 200
    finally:
        there.close()
        anonymous.close()
        assert await process.stop() == 0
