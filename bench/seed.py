"""A year of content for bench/scale.py, written through the storage layer's bulk paths.

Shapes: 1-12 files a gist (most have one or two), a long tail of tags plus three huge
ones, ~10 comments a gist on average and three gists with 2,000+, N * 0.4 people (20,000
at 50,000 gists) of whom one submitted 2 % of everything, loves, GitHub's comments,
1-4 revisions a gist, a session per person and rate-limit counters. Highlighting is the
slow part of an import, so file sets and comment bodies are built once and shared.
"""

import dataclasses
import datetime
import random
import secrets

from tests.crafted import comment_doc, days_ago, gist_doc, github_gist, gist_id, now, session_of, user_doc
from tornadogists.services.gists import build_files
from tornadogists.services.upstream import comment_doc as github_comment_doc
from tornadogists.storage import Storage
from tornadogists.storage.discussion import WINDOW, discussed_fields
from tornadogists.text.markdown import render_markdown

HUGE_TAGS = ("python", "javascript", "bash")          # on 30 %, 20 % and 10 % of gists
LONG_TAIL = 5000
COMMON, RARE, IN_CODE = "tornado", "quokkaberry", "frobnicate_widget"
BIG_THREADS = (2500, 2200, 2000)                       # comments on gists 0, 1 and 2
FILE_COUNTS = (range(1, 13), (40, 20, 12, 8, 5, 4, 3, 2, 2, 2, 1, 1))
LANGUAGES = (("py", "Python"), ("js", "JavaScript"), ("sh", "Shell"), ("go", "Go"), ("md", "Markdown"))
WORDS = ("handler request cursor socket tornado async await server client index query cache "
         "page listing comment thread render template session token limit window").split()
BATCH = 500


@dataclasses.dataclass
class Landmarks:
    """What bench/scale.py asks for: a huge tag, a heavy user, a big thread, words to search."""
    gists: int
    people: int
    comments: int
    huge_tag: str = HUGE_TAGS[0]
    heavy_user: str = "person0"
    big_thread: str = gist_id(0)
    words: tuple = (COMMON, RARE, IN_CODE)


def source(rng: random.Random, extension: str, lines: int, marker: str) -> str:
    """Plausible code (or Markdown) of `lines` lines; `marker` is one identifier in it."""
    if extension == "md":
        return "".join(f"- {' '.join(rng.sample(WORDS, 5))}\n" for _ in range(lines)) + f"\n`{marker}`\n"
    body = "".join(f"    {rng.choice(WORDS)}_{n} = {rng.choice(WORDS)}({n})  # {rng.choice(WORDS)}\n"
                   for n in range(lines))
    return f"def {marker}(request):\n{body}    return request\n"


def file_sets(rng: random.Random, count: int) -> list[list[dict]]:
    """`count` built file sets; set 0 carries the rare word, a twentieth the code-only word."""
    sets = []
    for k in range(count):
        files = {}
        for n in range(rng.choices(*FILE_COUNTS)[0]):
            extension, language = rng.choice(LANGUAGES)
            marker = RARE if k == 0 and n == 0 else IN_CODE if k % 20 == 1 and n == 0 else f"step_{k}_{n}"
            files[f"file{n}.{extension}"] = (source(rng, extension, int(rng.lognormvariate(3.5, 1)) + 3, marker),
                                             language)
        data = github_gist("0" * 20, "", {name: text for name, (text, _) in files.items()}, now())
        for name, (_, language) in files.items():
            data["files"][name]["language"] = language
        sets.append(build_files(data["files"], 1 << 20))
    return sets


def tags(rng: random.Random) -> list[str]:
    chosen = [tag for tag, share in zip(HUGE_TAGS, (0.3, 0.2, 0.1)) if rng.random() < share]
    chosen += [f"tag{int(rng.paretovariate(0.8)) % LONG_TAIL}" for _ in range(rng.randrange(4))]
    return list(dict.fromkeys(chosen))


class Batches:
    """Each batch of inserts in one transaction: the engine then commits once, not once a document."""

    def __init__(self, client):
        self.client = client

    async def __call__(self, insert, docs: list, *args) -> None:
        for start in range(0, len(docs), BATCH):
            await self.one(insert, docs[start:start + BATCH], *args)

    async def one(self, insert, *args) -> None:
        async with self.client.start_session() as session:
            async with await session.start_transaction():
                await insert(*args, session=session)


async def seed(db, gists: int, rng: random.Random | None = None) -> Landmarks:
    """Fill `db` (migrations applied) with `gists` gists and everything around them."""
    rng = rng or random.Random(17)
    storage = Storage(db)
    batched = Batches(db.client)
    people = [user_doc(f"person{n}", created_at=days_ago(rng.random() * 365)) for n in range(max(50, gists * 2 // 5))]
    await batched(storage.users.insert_many, people)
    await batched(storage.sessions.add_many, [session_of(person) for person in people])
    sets = file_sets(rng, min(300, max(20, gists // 10)))
    bodies = [(body, render_markdown(body)) for body in
              (f"{' '.join(rng.sample(WORDS, 8))} **{n}** `{rng.choice(WORDS)}`" for n in range(200))]
    comments = comment_counts(rng, gists)
    loves = love_pairs(rng, gists, len(people))
    loved: dict[int, int] = {}
    for g, _ in loves:
        loved[g] = loved.get(g, 0) + 1
    for start in range(0, gists, BATCH):
        await seed_gists(storage, batched, rng, range(start, min(gists, start + BATCH)), people, sets, comments, loved)
        await batched(storage.comments.insert_many, [
            comment_doc(gist_id(n), rng.choice(people), *rng.choice(bodies), at)
            for n in range(start, min(gists, start + BATCH)) for at in comment_times(n, comments)])
    await batched(storage.loves.add_many, [(gist_id(g), people[p]["_id"], now()) for g, p in loves])
    for n in range(min(2000, gists // 2)):   # a day's counters: comments, loves, sign-ins
        await storage.rate_limits.hit_window(f"bench:{n}", 3600, now())
    return Landmarks(gists, len(people), sum(comments))


def submitted(n: int, gists: int) -> datetime.datetime:
    """Gist n was submitted n / gists of a year ago: the newest first."""
    return days_ago(n * 365 / gists)


def comment_times(n: int, comments: list[int]) -> list[datetime.datetime]:
    """Gist n's comments: a minute apart from its submission on."""
    return [submitted(n, len(comments)) + datetime.timedelta(minutes=k) for k in range(comments[n])]


def comment_counts(rng: random.Random, gists: int) -> list[int]:
    counts = [min(500, int(rng.expovariate(1 / 9.5))) for _ in range(gists)]
    counts[:len(BIG_THREADS)] = BIG_THREADS
    return counts


def love_pairs(rng: random.Random, gists: int, people: int) -> set[tuple[int, int]]:
    """(gist, person) pairs, three a gist on average, favourites much loved."""
    return {(int(rng.paretovariate(1.1) * 3) % gists, rng.randrange(people)) for _ in range(gists * 3)}


async def seed_gists(storage, batched, rng, numbers: range, people, sets, comments, loved) -> None:
    heavy = people[0]
    docs, histories, shown, github = [], {}, {}, []
    for n in numbers:
        when = submitted(n, len(comments))
        files = sets[0] if n in (7, 8) else rng.choice(sets[1:])
        data = github_gist(gist_id(n), f"Gist {n}: {' '.join(rng.sample(WORDS, 4))}", {}, when)
        history = [{"sha": secrets.token_hex(20), "committed_at": when - datetime.timedelta(days=k), "additions": 3,
                    "deletions": 1, "total": 4, "user": "octocat"} for k in range(rng.randrange(1, 5))]
        data["history"] = [{"version": history[0]["sha"]}]
        submitter = heavy if rng.random() < 0.02 else rng.choice(people)
        from_github = [github_comment_doc(data | {"gist_id": data["id"]}, {
            "id": rng.randrange(1 << 40), "login": "someone", "avatar_url": None, "profile_url": None,
            "updated_at": "2026-01-01T00:00:00Z", "created_at": "2026-01-01T00:00:00Z", "body": "From GitHub"},
            "<p>From GitHub</p>", now()) for _ in range(rng.randrange(1, 7) if rng.random() < 0.05 else 0)]
        times = comment_times(n, comments)
        last = times[-1] if times else None
        lately = [at for at in times if at >= now() - WINDOW]   # GitHub's: from January
        docs.append(gist_doc(data, files, submitter, tags(rng), when, loves=loved.get(n, 0),
                             comment_count=comments[n] + len(from_github), last_comment_at=last,
                             **discussed_fields(len(lately), lately and lately[0], lately and lately[-1]),
                             revision_count=len(history), revision_number=len(history)))
        histories[data["id"]], shown[data["id"]], github = history, files, github + from_github
    await batched.one(storage.gists.insert_many, docs)
    await batched.one(storage.revisions.insert_many, histories, shown, now())
    await batched(storage.github_comments.insert, github)
