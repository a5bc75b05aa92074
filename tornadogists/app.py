"""make_app: the one route list, every route named."""

import logging
from pathlib import Path

import tornado.template
import tornado.web
from tornado.log import access_log

from tornadogists.handlers import account, auth, avatars, feeds, gists, home, languages, loves, search, tags, users
from tornadogists.handlers import api_tokens, comments, images, imports, live, notifications, reactions, themes
from tornadogists.handlers import reports
from tornadogists.handlers.admin import dashboard as admin_dashboard, gists as admin_gists
from tornadogists.handlers.admin import people as admin_people, queues as admin_queues
from tornadogists.handlers import embeds
from tornadogists.handlers import revisions
from tornadogists.handlers.api import discovery as api_discovery, docs as api_docs, gists as api_gists
from tornadogists.handlers.api.base import ApiNotFoundHandler
from tornadogists.handlers.base import NotFoundHandler
from tornadogists.handlers.static import StaticFileHandler
from tornadogists.routing import Application
from tornadogists.ui import Comment, CommentForm, FeedLink, GistCard, Pager, PagerLinks, ReportForm, Sharing

SLOW_SECONDS = 0.5   # an answer slower than this is logged even when it succeeded
ROOT = Path(__file__).resolve().parent.parent
GIST_ID = r"([0-9a-f]{20,32}|[0-9]{1,12})"
HANDLE = r"([a-z0-9-]{1,39})"
COMMENT_ID = r"([0-9a-f]{24})"
SHA = r"([0-9a-f]{40})"


def public_routes():
    url = tornado.web.url
    return [
        url(r"/", home.HomeHandler, name="home"),
        url(r"/healthz", home.HealthHandler, name="healthz"),
        url(r"/avatars/([a-z0-9-]{1,39})\.svg", avatars.AvatarHandler, name="avatar"),
        url(r"/images/([0-9a-f]{32})/([A-Za-z0-9_-]{1,8000})", images.ImageProxyHandler, name="image"),
        url(r"/theme", themes.ThemeHandler, name="theme"),   # dark mode (issue 12)
        url(r"/login", auth.LoginHandler, name="login"),
        url(r"/auth/email", auth.EmailSignInHandler, name="auth-email"),
        url(r"/auth/email/([A-Za-z0-9_-]{1,100})", auth.EmailTokenHandler, name="auth-email-token"),
        url(r"/logout", auth.LogoutHandler, name="logout"),
        url(r"/auth/github", auth.GitHubSignInHandler, name="auth-github"),
        url(r"/auth/github/callback", auth.GitHubCallbackHandler, name="auth-github-callback"),
        url(r"/account", account.AccountHandler, name="account"),
        url(r"/account/profile", account.AccountProfileHandler, name="account-profile"),
        url(r"/account/email", account.AccountEmailHandler, name="account-email"),
        url(r"/account/email/([A-Za-z0-9_-]{1,100})", account.AccountEmailConfirmHandler,
            name="account-email-confirm"),
        url(r"/account/notifications", account.AccountNotificationsHandler, name="account-notifications"),
        url(r"/account/github/unlink", account.AccountGitHubUnlinkHandler, name="account-github-unlink"),
        url(r"/account/sessions", account.AccountSessionsHandler, name="account-sessions"),
        # Your data (issue 20): the export, and deleting the account by a mailed link.
        url(r"/account/export", account.AccountExportHandler, name="account-export"),
        url(r"/account/delete", account.AccountDeleteHandler, name="account-delete"),
        url(r"/account/delete/([A-Za-z0-9_-]{1,100})", account.AccountDeleteConfirmHandler,
            name="account-delete-confirm"),
        url(r"/gists/new", gists.GistNewHandler, name="gist-new"),
        url(r"/gists", gists.GistSubmitHandler, name="gists"),
        url(r"/import", imports.ImportHandler, name="import"),   # one's own gists at once (issue 20)
        url(r"/import/progress", imports.ImportProgressHandler, name="import-progress"),
        url(rf"/gists/{GIST_ID}", gists.GistHandler, name="gist"),
        url(rf"/gists/{GIST_ID}/raw/([^/]+)", gists.GistRawHandler, name="gist-raw"),
        url(rf"/gists/{GIST_ID}/download/([^/]+)", gists.GistRawHandler, {"attachment": True}, name="gist-download"),
        url(rf"/gists/{GIST_ID}\.zip", gists.GistArchiveHandler, name="gist-zip"),
        url(rf"/gists/{GIST_ID}/refresh", gists.GistRefreshHandler, name="gist-refresh"),
        # Upstream (issue 11): revisions and comparisons.
        url(rf"/gists/{GIST_ID}/revisions", revisions.GistRevisionsHandler, name="gist-revisions"),
        url(rf"/gists/{GIST_ID}/revisions/{SHA}", revisions.GistRevisionHandler, name="gist-revision"),
        url(rf"/gists/{GIST_ID}/compare/{SHA}\.\.\.{SHA}", revisions.GistCompareHandler, name="gist-compare"),
        # Embeds on other sites (issue 12): a script, an iframe-able page, that page's styles.
        url(rf"/gists/{GIST_ID}\.js", embeds.GistScriptHandler, name="gist-script"),
        url(rf"/gists/{GIST_ID}/embed", embeds.GistEmbedHandler, name="gist-embed"),
        url(r"/embeds/(auto|light|dark)\.css", embeds.EmbedStyleHandler, name="embed-css"),
        # Discussion: comments, line comments, edits, live updates, e-mails (issue 4).
        url(rf"/gists/{GIST_ID}/comments", comments.CommentsHandler, name="comments"),
        url(rf"/gists/{GIST_ID}/comments/{COMMENT_ID}/edit", comments.CommentEditHandler, name="comment-edit"),
        url(rf"/gists/{GIST_ID}/comments/{COMMENT_ID}/delete", comments.CommentDeleteHandler, name="comment-delete"),
        url(rf"/gists/{GIST_ID}/comments/{COMMENT_ID}/history", comments.CommentHistoryHandler,
            name="comment-history"),
        url(rf"/gists/{GIST_ID}/comments/{COMMENT_ID}/reactions", reactions.CommentReactionsHandler,
            name="comment-reactions"),
        url(rf"/gists/{GIST_ID}/live", live.GistLiveHandler, name="gist-live"),
        url(r"/preview", comments.PreviewHandler, name="preview"),
        # Moderation (issue 10): reports here; the admin area under /admin (admin_routes).
        url(rf"/gists/{GIST_ID}/flag", reports.ReportHandler, name="gist-flag"),
        url(rf"/gists/{GIST_ID}/comments/{COMMENT_ID}/flag", reports.ReportHandler, name="comment-flag"),
        url(r"/unsubscribe/([0-9a-f]{24})/([0-9a-f]{64})", notifications.UnsubscribeHandler, name="unsubscribe"),
        # Discovery: love, tags, listings, people, search, feeds (issue 5).
        url(rf"/gists/{GIST_ID}/love", loves.GistLoveHandler, name="gist-love"),
        url(rf"/gists/{GIST_ID}/tags", tags.GistTagsHandler, name="gist-tags"),
        url(rf"/gists/{GIST_ID}/comments\.atom", feeds.FeedHandler, {"feed": "gist_comments"},
            name="gist-comments-feed"),
        url(r"/tags", tags.TagsHandler, name="tags"),
        url(r"/tags\.json", tags.TagSuggestHandler, name="tag-suggest"),
        url(r"/tags/([^/]+)", tags.TagHandler, name="tag"),
        url(r"/tags/([^/]+)/feed\.atom", feeds.FeedHandler, {"feed": "tag"}, name="tag-feed"),
        # Per-language listings and the hot feed (issue 20).
        url(r"/languages", languages.LanguagesHandler, name="languages"),
        url(r"/languages/([^/]+)", languages.LanguageHandler, name="language"),
        url(r"/feeds/languages/([^/]+)\.atom", feeds.FeedHandler, {"feed": "language"}, name="language-feed"),
        url(r"/feeds/hot\.atom", feeds.FeedHandler, {"feed": "hot_gists"}, name="feed-hot"),
        url(r"/people", users.PeopleHandler, name="people"),
        url(rf"/users/{HANDLE}", users.UserHandler, name="user"),
        url(rf"/users/{HANDLE}/comments", users.UserHandler, {"tab": "comments"}, name="user-comments"),
        url(rf"/users/{HANDLE}/loved", users.UserHandler, {"tab": "loved"}, name="user-loved"),
        url(rf"/users/{HANDLE}/feed\.atom", feeds.FeedHandler, {"feed": "person"}, name="user-feed"),
        url(r"/search", search.SearchHandler, name="search"),
        url(r"/feeds/gists\.atom", feeds.FeedHandler, {"feed": "newest_gists", "fixed": ("atom",)},
            name="feed-gists-atom"),
        url(r"/feeds/gists\.rss", feeds.FeedHandler, {"feed": "newest_gists", "fixed": ("rss",)},
            name="feed-gists-rss"),
        url(r"/feeds/comments\.atom", feeds.FeedHandler, {"feed": "newest_comments"}, name="feed-comments"),
        url(r"/sitemap\.xml", feeds.SitemapHandler, name="sitemap"),
        url(r"/sitemaps/([0-9]{1,6})\.xml", feeds.SitemapFileHandler, name="sitemap-file"),
        # API (issue 12): JSON under /api/v1, its OpenAPI document, its documentation, tokens on /account.
        url(r"/api", api_docs.ApiDocsHandler, name="api-docs"),
        url(r"/api/v1/openapi\.json", api_docs.OpenApiHandler, name="api-openapi"),
        url(r"/api/v1/gists", api_gists.GistsHandler, name="api-gists"),
        url(rf"/api/v1/gists/{GIST_ID}", api_gists.GistHandler, name="api-gist"),
        url(rf"/api/v1/gists/{GIST_ID}/comments", api_gists.CommentsHandler, name="api-gist-comments"),
        url(rf"/api/v1/gists/{GIST_ID}/comments/{COMMENT_ID}/reactions", api_gists.ReactionsHandler,
            name="api-comment-reactions"),
        url(rf"/api/v1/gists/{GIST_ID}/comments/{COMMENT_ID}/reactions/([^/]+)", api_gists.ReactionHandler,
            name="api-comment-reaction"),
        url(rf"/api/v1/users/{HANDLE}", api_discovery.UserHandler, name="api-user"),
        url(r"/api/v1/tags", api_discovery.TagsHandler, name="api-tags"),
        url(r"/api/v1/search", api_discovery.SearchHandler, name="api-search"),
        url(r"/api/v1(?:/.*)?", ApiNotFoundHandler, name="api-not-found"),
        url(r"/account/tokens", api_tokens.ApiTokensHandler, name="account-tokens"),
        url(r"/account/tokens/([0-9a-f]{24})/revoke", api_tokens.ApiTokenRevokeHandler, name="account-token-revoke"),
    ]


def admin_routes():
    """The admin area (issue 10): admins only, a 404 for anyone else."""
    url = tornado.web.url
    return [
        url(r"/admin", admin_dashboard.DashboardHandler, name="admin"),
        url(r"/admin/reports", admin_queues.ReportsHandler, name="admin-reports"),
        url(r"/admin/held", admin_queues.HeldHandler, name="admin-held"),
        url(r"/admin/people", admin_people.PeopleHandler, name="admin-people"),
        url(rf"/admin/gists/{GIST_ID}", admin_gists.AdminGistHandler, name="admin-gist"),
        url(r"/admin/log", admin_dashboard.LogHandler, name="admin-log"),
        url(r"/admin/hosts", admin_dashboard.HostsHandler, name="admin-hosts"),
    ]


def routes(role: str = "all"):
    """Every route, named, whatever the role (pages link across roles); the ones another role
    serves answer 404 here. nginx sends /admin to `admin` processes, the rest to `public` ones."""
    public, admin = public_routes(), admin_routes()
    served = {"all": public + admin, "public": public,
              "admin": [spec for spec in public if spec.name == "healthz"] + admin}[role]
    return [spec if spec in served else tornado.web.url(spec.regex.pattern, NotFoundHandler, name=spec.name)
            for spec in public + admin]


def log_request(handler) -> None:
    """Log failures and slow answers; every request's line belongs to the proxy's access log.

    A log line per request cost about a tenth of a cached page's time (py-spy, `make bench`).
    """
    status, seconds = handler.get_status(), handler.request.request_time()
    if status < 400 and seconds < SLOW_SECONDS and not handler.settings.get("debug"):
        return
    level = logging.ERROR if status >= 500 else logging.WARNING
    access_log.log(level, "%d %s %.2fms", status, handler._request_summary(), 1000 * seconds)


# One loader per process: every application shares its compiled templates.
TEMPLATES = tornado.template.Loader(str(ROOT / "templates"))


def compile_templates() -> None:
    """Compile every template at start-up, not in the first request that needs it (75 ms of a gist page's)."""
    for path in sorted((ROOT / "templates").rglob("*.html")):
        TEMPLATES.load(path.relative_to(ROOT / "templates").as_posix())


def make_app(settings, services, cookie_secret: str) -> tornado.web.Application:
    """Build the Tornado application from one Settings object and the services."""
    app = Application(
        routes(settings.role),
        template_path=str(ROOT / "templates"),
        template_loader=TEMPLATES,
        static_path=str(ROOT / "static"),
        static_handler_class=StaticFileHandler,
        ui_modules={"GistCard": GistCard, "FeedLink": FeedLink, "Comment": Comment, "CommentForm": CommentForm,
                    "ReportForm": ReportForm, "Pager": Pager, "PagerLinks": PagerLinks, "Sharing": Sharing},
        cookie_secret=cookie_secret,
        xsrf_cookies=True,
        xsrf_cookie_kwargs={"httponly": True, "samesite": "Lax", "secure": settings.secure_cookies},
        login_url="/login",
        github_oauth={"key": settings.github_client_id, "secret": settings.github_client_secret,
                      "oauth_url": settings.github_oauth_url, "api_url": settings.github_api_url},
        default_handler_class=NotFoundHandler,
        debug=settings.debug,
        log_function=log_request,
    )
    # Tornado answers /robots.txt from static_path ahead of routes(); ours names the sitemap by site_url.
    app.add_handlers(r".*", [tornado.web.url(r"/robots\.txt", feeds.RobotsHandler, name="robots")])
    app.services = services
    app.site_settings = settings
    return app
