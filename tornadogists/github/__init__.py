"""GitHub: the only package that knows GitHub's URLs (client, sign-in, URL policy, answer parsing)."""

from tornadogists.github.client import CommentsResponse, GistListResponse, GistResponse, GitHubClient
from tornadogists.github.errors import (
    GistNotFound, GitHubError, GitHubSignInRefused, GitHubUnreachable, RateLimited,
)
from tornadogists.github.oauth import GitHubOAuth2Mixin
from tornadogists.github.parse import RateLimit
from tornadogists.github.urls import github_web_url

__all__ = [
    "CommentsResponse", "GistListResponse", "GistNotFound", "GistResponse", "GitHubClient", "GitHubError",
    "GitHubOAuth2Mixin", "GitHubSignInRefused", "GitHubUnreachable", "RateLimit", "RateLimited",
    "github_web_url",
]
