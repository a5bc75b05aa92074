"""The admin area and the report forms, fuzzed as an admin would reach them: never a 500 or a traceback."""

import logging

from tests.discussion import HELLO, comment, person, submit  # noqa: F401 - a fixture
from tests.fuzz_inputs import Inputs
from tests.moderation import ADMIN, report
from tests.test_fuzz import SEED, Fuzz, answers, every_route, fields_of

TRIES = 25   # per route and method


async def test_admin_routes_answer_hostile_input_without_a_500(settings, signed_in, person, outbox, caplog, db):
    await submit(signed_in)
    admin = await person(ADMIN)
    cid = await comment(signed_in, "A *word* https://example.com/x")
    await report(admin, comment_id=cid)
    user_id = str((await db.users.find_one({"handle": "ada"}))["_id"])
    known = [HELLO, cid, f"comment:{cid}", f"gist:{HELLO}", user_id, "ada", "keep", "remove", "ban", "publish",
             "refetch", "hide", "unhide", "delete", "add", "spam", "0" * 24]
    fuzz = Fuzz(Inputs(SEED, known), outbox)
    routes = [(name, pattern, handler) for name, pattern, handler in every_route(settings)
              if name and (name.startswith("admin") or name.endswith("-flag"))]
    assert len(routes) == 9
    for name, pattern, handler in routes:
        fields = fields_of(handler, fuzz.inputs.names) + ["item", "action", "reason", "user", "host", "q", "note"]
        for method, answered in answers(handler).items():
            for _ in range(TRIES if answered else 1):
                await fuzz.send(admin, method, pattern, fields)
    errors = [f"{r.name}: {r.getMessage()[:300]}" for r in caplog.records
              if r.levelno >= logging.ERROR and r.name != "tornado.access"]
    assert not fuzz.failures, f"seed {SEED}:\n" + "\n".join(fuzz.failures[:40])
    assert not errors, f"seed {SEED}:\n" + "\n".join(errors[:40])
    assert fuzz.codes[200] and fuzz.codes[400], fuzz.codes   # past the admin check, into the forms
