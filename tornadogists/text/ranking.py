"""Pure scores for discovery: how hot a gist is, and how alike two gists are.

Hot (issue 20) is Reddit's form of HN's gravity: log10(points) + age / 45,000 s, with the
age counted from a fixed epoch to when the gist was submitted here. Every gist's score then
falls at the same rate as time passes, so their order never changes without a write: the
score is stored, kept up to date by each write that changes its points (a love, a comment),
and the "Hot" listing is an indexed sort — no scan per view, no periodic recompute.
A gist 12.5 hours newer needs a tenth of the points to rank the same.
"""

import datetime
import math
import re

HOT_EPOCH = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
HOT_SECONDS = 45_000
# Points: a distinct commenter counts more than one more reply between the same two people.
LOVE_POINTS, COMMENT_POINTS, COMMENTER_POINTS = 2, 1, 3
# What hot_score reads of a gist (a projection).
HOT_FIELDS = {"loves": 1, "comment_count": 1, "commenter_ids": 1, "submitted_at": 1}
# "Most discussed" (storage/discussion.py) sorts on one stored number as "Hot" does: the shown
# comments of the last 30 days, then the newest one's time, seconds / 1e10 after the point (a
# double keeps both to the second below 100,000 comments); 0 for a gist with none.
DISCUSSED_FIELDS = {"discussed": 1, "discussed_last_at": 1}
SCORED_FIELDS = {**HOT_FIELDS, **DISCUSSED_FIELDS}   # what scores() reads

# Related gists: a shared tag weighs most (people chose it), then a shared language, then the
# share of title and file-name words the two have in common (Jaccard, 0 to 1).
TAG_WEIGHT, LANGUAGE_WEIGHT, WORDS_WEIGHT = 3.0, 1.0, 4.0
WORD = re.compile(r"[a-z0-9]{3,}")


def hot_points(gist: dict) -> int:
    return (LOVE_POINTS * max(gist.get("loves") or 0, 0) + COMMENT_POINTS * max(gist.get("comment_count") or 0, 0)
            + COMMENTER_POINTS * len(gist.get("commenter_ids") or []))


def _utc(moment: datetime.datetime) -> datetime.datetime:
    return moment.replace(tzinfo=datetime.UTC) if moment.tzinfo is None else moment   # the driver may read dates naive


def hot_score(gist: dict) -> float:
    submitted = _utc(gist["submitted_at"])
    return round(math.log10(1 + hot_points(gist)) + (submitted - HOT_EPOCH).total_seconds() / HOT_SECONDS, 9)


def discussed_rank(gist: dict) -> float:
    count = gist.get("discussed") or 0
    return count + round(_utc(gist["discussed_last_at"]).timestamp()) / 1e10 if count > 0 else 0


def scores(gist: dict) -> dict:
    """The stored numbers the "Hot" and "Most discussed" tabs sort on."""
    return {"hot": hot_score(gist), "discussed_rank": discussed_rank(gist)}


def words(gist: dict) -> set[str]:
    """The words of a gist's description and file names, lower-cased, three letters or more."""
    text = f"{gist.get('description') or ''} {gist.get('file_names') or ''}".lower()
    return set(WORD.findall(text))


def similarity(gist: dict, other: dict) -> float:
    shared_tags = len(set(gist.get("tags") or []) & set(other.get("tags") or []))
    shared_languages = len(set(gist.get("languages") or []) & set(other.get("languages") or []))
    mine, theirs = words(gist), words(other)
    overlap = len(mine & theirs) / len(mine | theirs) if mine and theirs else 0.0
    return TAG_WEIGHT * shared_tags + LANGUAGE_WEIGHT * shared_languages + WORDS_WEIGHT * overlap


def most_similar(gist: dict, candidates: list[dict], count: int) -> list[dict]:
    """The `count` candidates most like `gist` (never itself), best first; ties go to the newer."""
    scored = [(similarity(gist, other), other) for other in candidates if other["gist_id"] != gist["gist_id"]]
    scored.sort(key=lambda pair: (-pair[0], -pair[1]["submitted_at"].timestamp(), pair[1]["gist_id"]))
    return [other for score, other in scored[:count] if score > 0]
