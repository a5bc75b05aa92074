"""Seeded hostile inputs for the fuzz test: path segments fitting each route's groups, and form arguments."""

import random
import re
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent

HOSTILE = [
    "", " ", "\x00", "a\x00b", "\x01\x08\x0b\x0c\x1b\x7f", "\t\r\n", "\r\nX-Injected: 1", "\u2028\u2029",
    "../../../etc/passwd", "..", "./", "..\\..\\", "%2e%2e%2f", "%00", "%", "%zz", "%%", "+", "a+b",
    "0", "-1", "00000001", "9" * 30, str(2**63), str(-(2**63) - 1), "9" * 5000, "1e308", "-1e309", "NaN",
    "inf", "0x1f", "1_000", "３", "٣",
    "\ud800", "\udfff", "\ufffe", "\U0010ffff", "😀" * 50, "\u202egpj.exe", "ｇｉｓｔ", "İ", "ß" * 20,
    "<script>alert(1)</script>", "\"'><img src=x onerror=alert(1)>", "{{ 7*7 }}", "{% raw %}", "${7*7}",
    '{"$gt": ""}', "$where", "[]", "null", "true", "a,b,,c, ,", "," * 300, "#", "?x=1", "/", "//evil.example",
    "/\\evil.example", "http://evil.example/", "javascript:alert(1)", "data:text/html,<b>", "mailto:x@y",
    "http://[gist.github.com", "http://gist.github.com\uff03x", "/a\x0bb", "/a\x7fb", "/\x0c",
    "https://gist.github.com/ada/" + "a" * 40, "ada@example.com",
    '"x"@example.org', "x@example.org.", "x@例え.jp", "@", "a" * 300, "b" * 6000,
    "".join(f"<em a={n}>" for n in range(1000)) + "<p>x" * 1550,   # 16 KB the sanitiser grew to 14 MB (issue 22)
    # The same with each <p> hidden in an attribute, past what closing tags per block catches: shown as written.
    "".join(f'<em a={n}><span title="<p>">' for n in range(1000)) + "<p>x" * 1550,
]
# Sent as they are: percent-encoded bytes that are not UTF-8, and broken percent-encodings.
RAW = ["%FF", "%C0%AF", "%ED%A0%80", "%F4%90%80%80", "%E2%82", "a%80b", "%FE%FF", "%", "%zz", "%%41", "%u0041"]


# Well-formed values the mutations start from (a field not named here starts from a known value).
EXAMPLES = {
    "url": "https://gist.github.com/ada/aa5a315d61ae9438b18d", "email": "ada@example.com", "next": "/gists/1",
    "tags": "python, web", "body": "Some *text* and `code`", "intro": "Why [this](https://x.example)",
    "page": "2", "since": "1700000000000", "line": "3", "file": "hello.py", "handle": "ada",
    "display_name": "Ada", "q": "hello", "sort": "loved", "parent": "0123456789abcdef01234567",
}
MUTANTS = ["\x00", "\x0b", "\x7f", "\r\n", "[", "]", "<", "%", "\\", "/", "..", "@", "#", "\uff03", "\u0130",
           "\u202e", "😀", "\ud800", "9" * 25, "-", ",", " " * 3, "(" * 50, "a" * 2000]


def argument_names(text: str) -> set[str]:
    """Form fields a template names or a handler reads by a literal name."""
    return set(re.findall(r'name="(\w+)"', text)) | set(
        re.findall(r"""get_(?:body_|query_)?arguments?\(\s*["'](\w+)["']""", text))


def site_argument_names() -> list[str]:
    """Every field of every template and handler: new ones are fuzzed too."""
    names = set()
    for path in [*(ROOT / "templates").rglob("*.html"), *(ROOT / "tornadogists" / "handlers").glob("*.py")]:
        names |= argument_names(path.read_text())
    return sorted(names - {"viewport"})


def encode(value: str) -> str:
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


class Inputs:
    """Everything random comes from one random.Random(seed): a failure is replayed by its seed."""

    def __init__(self, seed: int, known: list[str]):
        self.random = random.Random(seed)
        self.known = known
        self.names = site_argument_names()

    def mutate(self, value: str) -> str:
        """A well-formed value with one to three hostile edits: insert, replace, cut or repeat."""
        r = self.random
        for _ in range(r.randint(1, 3)):
            at = r.randint(0, len(value))
            edit = r.randrange(4)
            if edit == 0:
                value = value[:at] + r.choice(MUTANTS) + value[at:]
            elif edit == 1:
                value = value[:at] + r.choice(MUTANTS) + value[at + 1:]
            elif edit == 2:
                value = value[:at]
            else:
                value = value[:at] + value[at:] * r.randint(2, 50)
        return value[:25_000]   # past the longest field the site takes (a 20,000-character comment)

    def value(self, name: str) -> str:
        """A percent-encoded value for the field `name`."""
        r = self.random
        pick = r.random()
        if pick < 0.1:
            return r.choice(RAW)
        if pick < 0.45:
            return encode(self.mutate(EXAMPLES.get(name) or r.choice(self.known)))
        if pick < 0.55:
            return encode("".join(chr(r.randrange(0, 0x3000)) for _ in range(r.randrange(1, 40))))
        return encode(r.choice(HOSTILE))

    def arguments(self, likely: list[str]) -> str:
        """A query string or form body: mostly the `likely` fields, some repeated, some odd names."""
        r = self.random
        pool = likely if likely and r.random() < 0.7 else self.names
        names = r.sample(pool, min(len(pool), r.randrange(0, 8)))
        names += r.choices(names, k=r.randrange(0, 2)) if names else []
        if r.random() < 0.1:
            names.append(r.choice(["", "_xsrf", "a" * 200, "%FF", "x[]"]))
        return "&".join(f"{name}={self.value(name)}" for name in names)

    def segment(self, group: str) -> str:
        """A percent-encoded path segment that the route's `group` pattern matches."""
        r = self.random
        fits = [v for v in self.known if re.fullmatch(group, v)]
        if fits and r.random() < 0.4:
            return encode(r.choice(fits))
        alternative = r.choice(group[1:-1].split("|"))
        # A literal start (robots\.txt, the / of (/.*)), then at most one character class or wildcard.
        literal, rest = re.fullmatch(r"((?:[\w/-]|\\.)*)(.*)", alternative).groups()
        return literal.replace("\\", "") + self.fill(rest, group)

    def fill(self, rest: str, group: str) -> str:
        r = self.random
        if not rest:
            return ""
        if rest in ("[^/]+", ".*"):
            if r.random() < 0.2:
                return r.choice(RAW)
            # Encoded, a long input would pass the 64 KB Tornado allows a request line: the connection
            # would be dropped before any handler saw it. Its first 4,000 characters still reach one.
            return encode(r.choice([h for h in HOSTILE if h])[:4_000])
        shape = re.fullmatch(r"\[([^\]]+)\]\{(\d+)(?:,(\d+))?\}", rest)
        assert shape, f"teach tests/fuzz_inputs.py the route group {group!r}"
        low, high = int(shape[2]), int(shape[3] or shape[2])
        alphabet = [c for c in map(chr, range(32, 127)) if re.fullmatch(f"[{shape[1]}]", c)]
        length = r.choice([low, high, r.randint(low, high)])
        return "".join(r.choices(alphabet, k=length))

    def path(self, pattern: str) -> str:
        """A path the route's regex matches, each group filled; an optional (?:...)? part is left out or filled."""
        path = pattern.removeprefix("^").removesuffix("$")
        path = re.sub(r"\(\?:([^()]*)\)\?", lambda m: "" if self.random.random() < 0.3 else f"({m[1]})", path)
        for group in re.findall(r"\((?!\?)[^()]*\)", path):
            path = path.replace(group, self.segment(group), 1)
        return path.replace("\\", "")
