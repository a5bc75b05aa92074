"""The admin area under /admin: admins only, a 404 to anyone else (issue 10)."""
