"""Settings: defaults < app.cfg < TORNADOGISTS_<KEY> environment < --key=value."""

import configparser
import dataclasses
import math
import os
from pathlib import Path
from urllib.parse import urlsplit

SECTION = "tornadogists"
ENV_PREFIX = "TORNADOGISTS_"


class ConfigError(ValueError):
    """A bad or unknown setting; its message is one line naming the key."""


@dataclasses.dataclass(frozen=True)
class Settings:
    port: int = 8888
    address: str = "127.0.0.1"
    site_url: str = "http://localhost:8888"
    data_dir: str = "./data"
    mongodb_uri: str = "embedded"
    mongodb_database: str = "tornadogists"
    cookie_secret: str = ""
    debug: bool = False
    github_api_url: str = "https://api.github.com"
    github_oauth_url: str = "https://github.com"
    github_client_id: str = ""
    github_client_secret: str = ""
    github_token: str = ""
    mail_backend: str = "console"
    mail_from: str = "TornadoGists <noreply@localhost>"
    smtp_host: str = "localhost"
    smtp_port: int = 587
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = True
    admins: str = ""
    gist_refresh_seconds: int = 3600
    max_file_bytes: int = 1048576
    render_seconds: int = 30   # highlighting one gist's files; past it they are stored uncoloured
    idle_timeout_seconds: int = 30
    body_timeout_seconds: int = 60
    live_sockets_per_ip: int = 50
    live_buffer_bytes: int = 524288
    page_cache_bytes: int = 64 * 1024 * 1024   # rendered gist pages kept in memory, per process (issue 9)
    api_rate_limit: int = 600            # API requests per client network per window (issue 12)
    api_rate_window_seconds: int = 3600
    search_rate_limit: int = 30          # new (uncached) searches per client network per minute (issue 22)
    processes: int = 1                   # worker processes serving HTTP; 0 = one per core (issue 9)
    behind_proxy: bool = False           # trust X-Real-IP / X-Forwarded-For (Tornado's xheaders)
    github_reserve: str = "10%"          # GitHub calls kept for submissions: a count or a share of the limit (issue 11)
    role: str = "all"                    # all, public (no /admin) or admin (only /admin): issue 10
    flags_to_hide: int = 3               # weight of open reports that hides an item (services/trust.py)
    spam_threshold: int = 50             # a new comment or intro scoring above this is held for review
    github_comments_per_gist: int = 500  # GitHub comments brought to one gist's page, oldest first (issue 22)
    github_comment_chars: int = 20000    # a longer GitHub comment is shown as a link to it (as long as ours may be)
    sitemap_urls: int = 5_000            # addresses per sitemap file (the protocol allows 50,000; issue 17)
    # The image proxy (issue 18): comment images are fetched by the site, within these limits.
    image_proxy_max_bytes: int = 5 * 1024 * 1024
    image_proxy_timeout_seconds: int = 10
    image_proxy_cache_bytes: int = 32 * 1024 * 1024   # recent images kept in memory, per process
    image_proxy_private_hosts: bool = False   # also fetch from loopback and private addresses (tests, an intranet)
    search_engine: str = "auto"          # sqlite (FTS5 beside the data), mongodb ($text), auto: sqlite on the embedded server

    @property
    def admin_names(self) -> frozenset[str]:
        return frozenset(n.strip().lower() for n in self.admins.split(",") if n.strip())

    def github_reserve_calls(self, limit: int) -> int:
        """How many of GitHub's `limit` calls an hour background work leaves for submissions."""
        return _reserve(self.github_reserve, limit)

    @property
    def secure_cookies(self) -> bool:
        return self.site_url.startswith("https://")

    @property
    def github_sign_in(self) -> bool:
        return bool(self.github_client_id and self.github_client_secret)


FIELDS = {field.name: field for field in dataclasses.fields(Settings)}


def _parse_bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError("expected true or false")


def _check_url(value: str) -> None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("expected an http:// or https:// URL")


def _reserve(text: str, limit: int) -> int:
    """"10%" of `limit`, rounded up, or a plain count; raises ValueError for anything else."""
    try:
        share = float(text[:-1]) if text.endswith("%") else None
        count = int(text) if share is None else None
    except ValueError:
        share = count = -1
    if share is not None and 0 <= share <= 100:   # false for nan and inf too
        return math.ceil(limit * share / 100)
    if share is None and count >= 0:
        return count
    raise ValueError("expected a number of calls (0 or more) or a share of the limit such as 10%")


def _check(key: str, value):
    """Range and shape rules beyond the type of a field."""
    if key in ("port", "smtp_port") and not 0 < value < 65536:
        raise ValueError("expected a port between 1 and 65535")
    if key in ("gist_refresh_seconds", "max_file_bytes", "idle_timeout_seconds", "body_timeout_seconds",
               "live_sockets_per_ip", "live_buffer_bytes", "api_rate_limit",
               "api_rate_window_seconds", "render_seconds", "search_rate_limit", "github_comments_per_gist",
               "github_comment_chars", "sitemap_urls", "image_proxy_max_bytes",
               "image_proxy_timeout_seconds") and value < 1:
        raise ValueError("expected a positive number")
    if key == "role" and value not in ("all", "public", "admin"):
        raise ValueError("expected all, public or admin")
    if key in ("flags_to_hide", "spam_threshold") and value < 1:
        raise ValueError("expected a positive number")
    if key == "image_proxy_cache_bytes" and value < 0:
        raise ValueError("expected 0 (no cache) or more bytes")
    if key == "processes" and not 0 <= value <= 256:
        raise ValueError("expected 0 (one per core) to 256")
    if key == "github_reserve":
        _reserve(value, 5000)
    if key in ("site_url", "github_api_url", "github_oauth_url"):
        _check_url(value)
    if key == "mongodb_uri" and not (
        value == "embedded" or value.startswith(("mongodb://", "mongodb+srv://"))
    ):
        raise ValueError("expected 'embedded' or a mongodb:// URI")
    if key == "search_engine" and value not in ("auto", "sqlite", "mongodb"):
        raise ValueError("expected auto, sqlite or mongodb")
    if key == "mail_backend" and value not in ("console", "file", "smtp"):
        raise ValueError("expected console, file or smtp")
    return value


def _convert(key: str, text: str, source: str):
    if key not in FIELDS:
        raise ConfigError(f"unknown setting '{key}' ({source})")
    kind = FIELDS[key].type
    try:
        if kind is bool:
            value = _parse_bool(text)
        elif kind is int:
            value = int(text)
        else:
            value = text.strip()
        return _check(key, value)
    except ValueError as error:
        raise ConfigError(f"bad value {text!r} for setting '{key}' ({source}): {error}") from None


def _from_file(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except configparser.Error as error:
        raise ConfigError(f"cannot read {path}: {str(error).splitlines()[0]}") from None
    return dict(parser[SECTION]) if parser.has_section(SECTION) else {}


def _from_argv(argv: list[str]) -> dict[str, str]:
    values = {}
    for arg in argv:
        name, sep, value = arg.removeprefix("--").partition("=")
        if not arg.startswith("--") or not sep:
            raise ConfigError(f"bad argument '{arg}': expected --key=value")
        values[name.replace("-", "_")] = value
    return values


def load_settings(argv: list[str] = (), environ=None, config_file="app.cfg") -> Settings:
    """Build Settings from every source; raise ConfigError naming the first bad key."""
    environ = os.environ if environ is None else environ
    layers = [
        ("app.cfg", _from_file(Path(config_file))),
        ("environment", {
            k.removeprefix(ENV_PREFIX).lower(): v
            for k, v in environ.items()
            if k.startswith(ENV_PREFIX) and not k.startswith(ENV_PREFIX + "TEST_")
        }),
        ("command line", _from_argv(list(argv))),
    ]
    values = {}
    for source, layer in layers:
        for key, text in layer.items():
            values[key] = _convert(key, text, source)
    return Settings(**values)


def help_text() -> str:
    lines = ["usage: python run.py [migrate] [--key=value ...]", "", "settings (default):"]
    for name, field in FIELDS.items():
        lines.append(f"  --{name}={field.default}")
    return "\n".join(lines)
