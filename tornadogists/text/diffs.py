"""Two revisions of a gist compared: files added, removed, renamed or changed, as unified diffs. Pure functions.

CPU-heavy (difflib, Pygments): services run them in a child process with a time limit.
"""

import dataclasses
import difflib

from tornadogists.text.highlight import highlight_lines, split_lines

CONTEXT = 3                 # unchanged lines shown around a change, as `diff -u` does
RENAME_SIMILARITY = 0.5     # git's default: half the lines the same makes a removed and an added file a rename
MAX_RENAME_PAIRS = 400      # removed x added files weighed for renames; beyond, they stay removed and added
MAX_LINES = 20_000          # a file longer than this (either side) is not compared here
# What a file needs to be compared; the rest of a stored file (its page HTML) stays behind.
FIELDS = ("n", "name", "language", "kind", "content")


@dataclasses.dataclass
class Line:
    kind: str            # "context", "add" or "del"
    old: int | None      # its number in the old file (None for an added line)
    new: int | None      # its number in the new file (None for a removed line)
    html: str            # highlighted


@dataclasses.dataclass
class Hunk:
    header: str          # "@@ -12,7 +12,9 @@"
    lines: list[Line]


@dataclasses.dataclass
class FileDiff:
    status: str          # "added", "removed", "renamed", "modified" or "unchanged"
    old: dict | None     # the file on each side: FIELDS
    new: dict | None
    hunks: list[Hunk] = dataclasses.field(default_factory=list)
    additions: int = 0
    deletions: int = 0
    note: str | None = None   # why no lines are shown: binary, too large

    @property
    def name(self) -> str:
        return (self.new or self.old)["name"]


@dataclasses.dataclass(frozen=True)
class FileFate:
    """What became of an old revision's file in a newer one, for the line comments written on it."""

    n: int                           # the file's number in the old revision (its page's anchors)
    same: bool                       # its text is unchanged (renamed or not)
    changed: frozenset = frozenset()  # its old line numbers that were replaced or removed
    gone: bool = False               # removed, not renamed

    def since(self, line: int) -> str | None:
        if self.same:
            return None
        if self.gone:
            return "the file was removed since"
        return "this line changed since" if line in self.changed else "the file changed since"


def slim(files: list[dict]) -> list[dict]:
    """Stored files cut to what comparing needs (what crosses to the child process)."""
    return [{key: file.get(key) for key in FIELDS} for file in files]


def _lines(file: dict | None) -> list[str]:
    return split_lines(file["content"]) if file and file.get("content") is not None else []


def _similar(old: dict, new: dict) -> bool:
    if old.get("content") is None or new.get("content") is None:
        return False
    if old["content"] == new["content"]:
        return True
    matcher = difflib.SequenceMatcher(None, _lines(old), _lines(new), autojunk=False)
    return matcher.real_quick_ratio() >= RENAME_SIMILARITY and matcher.quick_ratio() >= RENAME_SIMILARITY \
        and matcher.ratio() >= RENAME_SIMILARITY


def pair_files(old_files: list[dict], new_files: list[dict]) -> list[tuple[dict | None, dict | None]]:
    """(old, new) pairs: same name first, then a removed and an added file alike enough are a rename."""
    new_by_name = {file["name"]: file for file in new_files}
    pairs = [(file, new_by_name.get(file["name"])) for file in old_files]
    old_names = {file["name"] for file in old_files}
    added = [file for file in new_files if file["name"] not in old_names]
    removed = [i for i, (_, new) in enumerate(pairs) if new is None]
    if len(removed) * len(added) <= MAX_RENAME_PAIRS:
        for i in removed:
            match = next((new for new in added if _similar(pairs[i][0], new)), None)
            if match is not None:
                added.remove(match)
                pairs[i] = (pairs[i][0], match)
    return pairs + [(None, file) for file in added]


def _status(old: dict | None, new: dict | None) -> str:
    if old is None or new is None:
        return "added" if old is None else "removed"
    if old["name"] != new["name"]:
        return "renamed"
    same = old.get("content") == new.get("content") and old.get("kind") == new.get("kind")
    return "unchanged" if same else "modified"


def _shown(file: dict | None, highlight: bool) -> list[str]:
    if not file or file.get("content") is None:
        return []
    return highlight_lines(file["name"], file["content"], file.get("language") if highlight else "text")


def _hunks(old_lines: list[str], new_lines: list[str], old_html: list[str], new_html: list[str]) -> list[Hunk]:
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    hunks = []
    for group in matcher.get_grouped_opcodes(CONTEXT):
        (_, i1, _, j1, _), (_, _, i2, _, j2) = group[0], group[-1]
        lines = []
        for tag, a1, a2, b1, b2 in group:
            if tag == "equal":
                lines += [Line("context", i + 1, j + 1, old_html[i]) for i, j in zip(range(a1, a2), range(b1, b2))]
                continue
            lines += [Line("del", i + 1, None, old_html[i]) for i in range(a1, a2)]
            lines += [Line("add", None, j + 1, new_html[j]) for j in range(b1, b2)]
        hunks.append(Hunk(f"@@ -{_span(i1, i2)} +{_span(j1, j2)} @@", lines))
    return hunks


def _span(start: int, end: int) -> str:
    """A hunk's range as `diff -u` writes it: first line (1-based), line count."""
    count = end - start
    return f"{start + (1 if count else 0)},{count}"


def diff_file(old: dict | None, new: dict | None, highlight: bool = True) -> FileDiff:
    found = FileDiff(_status(old, new), old, new)
    if any(f is not None and f.get("content") is None for f in (old, new)):
        found.note = "This file is binary or too large to compare here."
        return found
    old_lines, new_lines = _lines(old), _lines(new)
    if max(len(old_lines), len(new_lines)) > MAX_LINES:
        found.note = f"This file has over {MAX_LINES:,} lines: too many to compare here."
        return found
    if found.status == "unchanged" or old_lines == new_lines:
        return found
    found.hunks = _hunks(old_lines, new_lines, _shown(old, highlight), _shown(new, highlight))
    found.additions = sum(line.kind == "add" for hunk in found.hunks for line in hunk.lines)
    found.deletions = sum(line.kind == "del" for hunk in found.hunks for line in hunk.lines)
    return found


def compare(old_files: list[dict], new_files: list[dict], highlight: bool = True) -> list[FileDiff]:
    """Every file of either revision, as it changed from `old_files` to `new_files` (slim() lists)."""
    return [diff_file(old, new, highlight) for old, new in pair_files(old_files, new_files)]


def _changed_old_lines(old: dict, new: dict) -> frozenset:
    matcher = difflib.SequenceMatcher(None, _lines(old), _lines(new), autojunk=False)
    return frozenset(i + 1 for tag, a1, a2, _, _ in matcher.get_opcodes() if tag != "equal" for i in range(a1, a2))


def fates(old_files: list[dict], new_files: list[dict], names: list[str], highlight: bool = True) -> dict:
    """Old file name -> its FileFate in `new_files`, for the old files named. Nothing here is
    coloured: highlight=False (the renderer's second try) leaves out which lines changed."""
    found = {}
    for old, new in pair_files(old_files, new_files):
        if old is None or old["name"] not in names:
            continue
        same = new is not None and old.get("content") == new.get("content")
        if new is None or same or old.get("content") is None or new.get("content") is None:
            found[old["name"]] = FileFate(old["n"], same, gone=new is None)
        elif not highlight or max(len(_lines(old)), len(_lines(new))) > MAX_LINES:
            found[old["name"]] = FileFate(old["n"], False)
        else:
            found[old["name"]] = FileFate(old["n"], False, _changed_old_lines(old, new))
    return found

