"""What can go wrong asking GitHub, each with the message a person sees and our HTTP status."""

import datetime


class GitHubError(Exception):
    """GitHub could not give us the gist; `user_message` says why, `status` is our answer."""

    status = 502
    user_message = "GitHub is unreachable right now, try again later."

    def __init__(self, detail: str = ""):
        super().__init__(detail or self.user_message)


class GistNotFound(GitHubError):
    status = 404
    user_message = "No such public gist on GitHub."


class RateLimited(GitHubError):
    status = 429

    def __init__(self, reset_at: datetime.datetime):
        self.reset_at = reset_at
        self.user_message = (
            f"GitHub's rate limit is reached, try again after {reset_at:%H:%M} UTC."
        )
        super().__init__(f"rate limited until {reset_at.isoformat()}")


class GitHubUnreachable(GitHubError):
    status = 502
    user_message = "GitHub is unreachable right now, try again later."


class GitHubSignInRefused(GitHubError):
    """GitHub would not exchange the code: used, expired or never issued."""

    status = 400
    user_message = "GitHub did not accept this sign-in (it expired or was already used). Please try again."
