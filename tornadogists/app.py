"""make_app: the one route list, every route named."""

from pathlib import Path

import tornado.web

from tornadogists.handlers import account, auth, avatars, feeds, gists, home, loves, search, tags, users
from tornadogists.handlers import comments, live, notifications
from tornadogists.handlers.base import NotFoundHandler
from tornadogists.ui import Comment, CommentForm, FeedLink, GistCard

ROOT = Path(__file__).resolve().parent.parent
GIST_ID = r"([0-9a-f]{20,32}|[0-9]{1,12})"
HANDLE = r"([a-z0-9-]{1,39})"
COMMENT_ID = r"([0-9a-f]{24})"


def routes():
    url = tornado.web.url
    return [
        url(r"/", home.HomeHandler, name="home"),
        url(r"/healthz", home.HealthHandler, name="healthz"),
        url(r"/avatars/([a-z0-9-]{1,39})\.svg", avatars.AvatarHandler, name="avatar"),
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
        url(r"/gists/new", gists.GistNewHandler, name="gist-new"),
        url(r"/gists", gists.GistSubmitHandler, name="gists"),
        url(rf"/gists/{GIST_ID}", gists.GistHandler, name="gist"),
        url(rf"/gists/{GIST_ID}/raw/([^/]+)", gists.GistRawHandler, name="gist-raw"),
        url(rf"/gists/{GIST_ID}/refresh", gists.GistRefreshHandler, name="gist-refresh"),
        # Discussion: comments, line comments, edits, live updates, e-mails (issue 4).
        url(rf"/gists/{GIST_ID}/comments", comments.CommentsHandler, name="comments"),
        url(rf"/gists/{GIST_ID}/comments/{COMMENT_ID}/edit", comments.CommentEditHandler, name="comment-edit"),
        url(rf"/gists/{GIST_ID}/comments/{COMMENT_ID}/delete", comments.CommentDeleteHandler, name="comment-delete"),
        url(rf"/gists/{GIST_ID}/comments/{COMMENT_ID}/history", comments.CommentHistoryHandler,
            name="comment-history"),
        url(rf"/gists/{GIST_ID}/live", live.GistLiveHandler, name="gist-live"),
        url(r"/preview", comments.PreviewHandler, name="preview"),
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
    ]


def make_app(settings, services, cookie_secret: str) -> tornado.web.Application:
    """Build the Tornado application from one Settings object and the services."""
    app = tornado.web.Application(
        routes(),
        template_path=str(ROOT / "templates"),
        static_path=str(ROOT / "static"),
        ui_modules={"GistCard": GistCard, "FeedLink": FeedLink, "Comment": Comment, "CommentForm": CommentForm},
        cookie_secret=cookie_secret,
        xsrf_cookies=True,
        xsrf_cookie_kwargs={"httponly": True, "samesite": "Lax", "secure": settings.secure_cookies},
        login_url="/login",
        github_oauth={"key": settings.github_client_id, "secret": settings.github_client_secret,
                      "oauth_url": settings.github_oauth_url, "api_url": settings.github_api_url},
        default_handler_class=NotFoundHandler,
        debug=settings.debug,
    )
    # Tornado answers /robots.txt from static_path ahead of routes(); ours names the sitemap by site_url.
    app.add_handlers(r".*", [tornado.web.url(r"/robots\.txt", feeds.RobotsHandler, name="robots")])
    app.services = services
    app.site_settings = settings
    return app
