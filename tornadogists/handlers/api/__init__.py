"""The JSON API under /api/v1 (issue 12): base handler, gists and comments, people, tags, search, documentation."""
