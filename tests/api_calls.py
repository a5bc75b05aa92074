"""Helpers for the API tests: a personal token made on the account page, and JSON requests sent with it."""

import json
import re


async def make_token(client, name: str = "laptop") -> str:
    page = await client.post("/account/tokens", {"name": name})
    assert page.code == 201, page.text
    return re.search(r'value="(tgp_[A-Za-z0-9_-]+)"', page.text).group(1)


async def api_post(client, path: str, data, token: str | None = None, headers=None):
    headers = {"Content-Type": "application/json", **(headers or {})}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    body = data if isinstance(data, (bytes, str)) else json.dumps(data)
    return await client.request("POST", path, body=body, headers=headers)
