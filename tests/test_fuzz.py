"""A bounded, seeded fuzz over every route: hostile paths, queries and forms never get a 500 or a traceback."""

import asyncio
import collections
import inspect
import logging
import os
import re

import tornado.web

from tests.client import Client
from tests.conftest import open_sign_in_link
from tests.discussion import HELLO, comment, submit
from tests.fuzz_inputs import Inputs
from tornadogists.app import make_app

# TORNADOGISTS_FUZZ_SEED replays (or widens) a run; the default keeps CI deterministic.
SEED = int(os.environ.get("TORNADOGISTS_FUZZ_SEED", "13"))
# Requests in all, for two people; a method a handler does not answer gets one try per route and person,
# the others share the rest: new routes thin the tries rather than lengthen the run.
BUDGET = 1_500
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|File \"[^\"]+\.py\", line \d+")


def every_route(settings) -> list[tuple[str, str, type]]:
    """(name, regex, handler) of every route the site answers: routes() and the static files Tornado adds."""
    app = make_app(settings, None, "unused")
    return [(rule.name or rule.matcher.regex.pattern, rule.matcher.regex.pattern, rule.target)
            for router in app.default_router.rules for rule in router.target.rules]


def fields_of(handler, names: list[str]) -> list[str]:
    """The site's field names that the handler's module quotes: the ones it most likely reads."""
    quoted = set(re.findall(r"""["'](\w+)["']""", inspect.getsource(inspect.getmodule(handler))))
    return [name for name in names if name in quoted]


def answers(handler) -> dict[str, bool]:
    get = handler.get is not tornado.web.RequestHandler.get
    return {"GET": get, "HEAD": get, "POST": handler.post is not tornado.web.RequestHandler.post}


def tries_per_method(handlers: list) -> int:
    answered = sum(sum(answers(handler).values()) for handler in handlers)
    return max(2, (BUDGET // 2 - (3 * len(handlers) - answered)) // answered)


async def sign_in_as(client: Client, outbox, email: str) -> None:
    """Sign in through the link mailed to `email` (the fuzz sends other mail meanwhile)."""
    response = await client.post("/auth/email", {"email": email, "next": "/"})
    assert response.code == 200, response.text
    for _ in range(200):
        mails = [m for m in outbox.messages() if email in str(m["To"])]
        if mails:
            break
        await asyncio.sleep(0.05)
    assert mails, f"no sign-in link reached {email}"
    await open_sign_in_link(client, re.search(r"https?://\S+", mails[-1].get_content()).group(0))


class Fuzz:
    def __init__(self, inputs: Inputs, outbox):
        self.inputs = inputs
        self.outbox = outbox
        self.failures: list[str] = []
        self.codes = collections.Counter()
        self.people = 0

    async def send(self, c: Client, method: str, pattern: str, fields: list[str]) -> None:
        path, args = self.inputs.path(pattern), self.inputs.arguments(fields)
        body = None
        if method == "POST":
            body = "&".join(filter(None, [args, f"_xsrf={await c.xsrf()}"]))
            args = self.inputs.arguments(fields) if self.inputs.random.random() < 0.2 else ""
        # Tornado drops a connection whose request line and headers pass 64 KB: that says nothing of us.
        # The path too: a long generated file name alone passed it (seen once new routes moved the seed's draws).
        path = path[:32_000]
        url = f"{path}?{args[:16_000]}" if args else path
        response = await c.request(method, url, body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded"} if body is not None else {})
        self.codes[response.code] += 1
        if response.code == 500 or TRACEBACK.search(response.body.decode("utf-8", "replace")):
            self.failures.append(f"{response.code} {method} {url[:300]} body={(body or '')[:300]}")

    async def keep_signed_in(self, c: Client) -> None:
        """A fuzzed POST may have signed this person out (sign-out, sign out everywhere): sign in anew."""
        if (await c.get("/account")).code != 200:
            self.people += 1
            await sign_in_as(c, self.outbox, f"fuzz{self.people}@example.com")


async def test_no_route_answers_hostile_input_with_a_500_or_a_traceback(
        settings, signed_in, outbox, caplog):
    await submit(signed_in)
    anonymous = Client(settings.site_url)
    known = [HELLO, await comment(signed_in, "A *word*"), "ada", "README.md", "python", "site.js", "0" * 64]
    fuzz = Fuzz(Inputs(SEED, known), outbox)
    visited, route_list = set(), every_route(settings)
    tries = tries_per_method([handler for _, _, handler in route_list])
    for name, pattern, handler in route_list:
        fields = fields_of(handler, fuzz.inputs.names)
        for c in (signed_in, anonymous):
            for method, answered in answers(handler).items():
                for _ in range(tries if answered else 1):
                    await fuzz.send(c, method, pattern, fields)
            if c is signed_in:
                await fuzz.keep_signed_in(c)
        visited.add(name)
    anonymous.close()
    errors = [f"{r.name}: {r.getMessage()[:300]}" for r in caplog.records
              if r.levelno >= logging.ERROR and r.name != "tornado.access"]
    print(f"fuzz seed {SEED}: {fuzz.codes.total()} requests over {len(visited)} routes, "
          f"{fuzz.people} re-sign-ins; answers {sorted(fuzz.codes.items())}")
    assert {"home", "gist", "preview", "/static/(.*)$"} <= visited
    assert not fuzz.failures, f"seed {SEED}:\n" + "\n".join(fuzz.failures[:40])
    assert not errors, f"seed {SEED}:\n" + "\n".join(errors[:40])
