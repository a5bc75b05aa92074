"""The spam score of a new comment or intro: pinnwand's link share, plus what we know of the account. Pure.

pinnwand (defensive.spamscore) found that spam is mostly lists of links and scores the
share of a text's characters that are links. We add points for many links, for links
to hosts an admin has banned, and — only when the text has a link at all — for a new
account, for an account posting very fast and for the same text posted again. The README
lists the rules; tests/test_spam_calibration.py is the labelled set they were tuned on.
"""

import dataclasses
import datetime
import html
import re

from tornadogists.text.urls import url_host

# A link as a spammer writes one (pinnwand's pattern, widened): with a scheme and any slashes
# or backslashes after it (a browser takes "https:/spam.example" and "https:\\spam.example"
# too), scheme-relative "//spam.example", or bare "www.".
LINK = re.compile(r"(?:\b(?:https?|ftp):[/\\]*|\bwww\.|(?<![\w:/\\])[/\\]{2})[^\s<>\"'()\[\]]+", re.IGNORECASE)
LINK_SHARE_POINTS = 40        # a text made only of links
FREE_LINKS, POINTS_PER_LINK, MAX_LINK_POINTS = 2, 10, 30
BANNED_HOST_POINTS = 100      # any link to a banned host holds the item, whatever else
NEW_ACCOUNT_POINTS = ((datetime.timedelta(days=1), 10), (datetime.timedelta(days=7), 5))
# An ordinary first day is a dozen items in an hour (issue 19: 7 gists, 5 comments): free.
FREE_ITEMS_PER_HOUR, POINTS_PER_ITEM, MAX_ITEM_POINTS = 20, 5, 25
# The same text with a link posted again within the hour: how a spam burst looks.
POINTS_PER_REPEAT, MAX_REPEAT_POINTS = 25, 50


@dataclasses.dataclass(frozen=True)
class Score:
    points: int
    reasons: tuple[str, ...]   # one line per rule that added points, for the admin's held queue
    words: tuple[str, ...] = ()   # the same rules in words, for the author of a held item


def links(text: str) -> list[str]:
    """The links in `text`, entities decoded as a browser reads `href="https&#58;//..."`.

    A scheme-relative or slash-less match counts only with a dotted host: "a //b" is no link.
    """
    return [link for link in LINK.findall(html.unescape(text or "")) if "://" in link or "." in url_host(link, True)]


def link_hosts(text: str) -> list[str]:
    return [host for host in (url_host(link, bare_www=True) for link in links(text)) if host]


def banned(host: str, banned_hosts) -> bool:
    """The host, or a domain it is under, is banned."""
    parts = host.split(".")
    return any(".".join(parts[i:]) in banned_hosts for i in range(len(parts) - 1))


def _account_points(age: datetime.timedelta) -> tuple[int, str] | None:
    for younger_than, points in NEW_ACCOUNT_POINTS:
        if age < younger_than:
            return points, f"account younger than {younger_than.days} day{'s' if younger_than.days > 1 else ''}"
    return None


def score(text: str, banned_hosts, account_age: datetime.timedelta, items_last_hour: int,
          repeats: int = 0) -> Score:
    """Points for `text` by an account `account_age` old that posted `items_last_hour` items,
    `repeats` of them with this very text."""
    text = text or ""
    found_links = links(text)
    if not found_links:
        return Score(0, ())
    share = sum(map(len, found_links)) / len(text)
    # (points, for the admin, for the author)
    found = [(round(share * LINK_SHARE_POINTS), f"{share:.0%} of the text is links", "much of it is links")]
    if len(found_links) > FREE_LINKS:
        found.append((min(MAX_LINK_POINTS, (len(found_links) - FREE_LINKS) * POINTS_PER_LINK),
                       f"{len(found_links)} links", f"it has {len(found_links)} links"))
    bad = sorted({host for host in link_hosts(text) if banned(host, banned_hosts)})
    if bad:
        found.append((BANNED_HOST_POINTS, "links to banned hosts: " + ", ".join(bad),
                      "it links to a site the moderators have blocked"))
    if (new := _account_points(account_age)) is not None:
        found.append((*new, "your account is new"))
    if items_last_hour > FREE_ITEMS_PER_HOUR:
        found.append((min(MAX_ITEM_POINTS, (items_last_hour - FREE_ITEMS_PER_HOUR) * POINTS_PER_ITEM),
                      f"{items_last_hour} items posted in the last hour",
                      f"you posted {items_last_hour} comments and gists in the last hour"))
    if repeats:
        found.append((min(MAX_REPEAT_POINTS, repeats * POINTS_PER_REPEAT), f"the same text posted {repeats} "
                      f"time{'s' if repeats > 1 else ''} before in the last hour",
                      "you posted the same text shortly before"))
    found = [rule for rule in found if rule[0] > 0]
    return Score(sum(points for points, _, _ in found), tuple(f"+{points}: {why}" for points, why, _ in found),
                 tuple(words for _, _, words in found))


def in_words(words) -> str:
    """"a, b and c": the reasons a held item's author reads."""
    words = list(words)
    return " and ".join(filter(None, [", ".join(words[:-1]), words[-1]])) if words else ""
