"""The OpenAPI document: valid OpenAPI 3.1, true to what the API answers, shown on /api, and fuzzed by schemathesis."""

import asyncio
import dataclasses
import html

import jsonschema
import pytest
import schemathesis
from openapi_spec_validator import validate as validate_openapi
from schemathesis.engine import events, from_schema

from tests.api_calls import api_post, make_token
from tests.client import Client
from tests.crafted import gist_id, make_comment, make_gist, make_love, make_user
from tests.discussion import HELLO, comment, submit
from tests.html_checks import active_content


async def fill(db, signed_in) -> None:
    """Data for every read: gists in several sorts and tags, a thread with a reply, a line comment, and a
    deleted comment holding its reply up."""
    ada = await make_user(db, "ada-crafted", display_name="Ada", github={"login": "ada", "html_url": None})
    for n in range(3):
        await make_gist(db, gist_id(n), ada, f"gist {n} websocket", tags=["python", f"t{n}"])
    await make_love(db, gist_id(1), ada)
    await make_comment(db, gist_id(2), ada, "a websocket comment")
    await submit(signed_in)
    top = await comment(signed_in, "Top **level**")
    await comment(signed_in, "A reply", parent=top)
    await comment(signed_in, "On a line", file="hello.py", line="2")
    await signed_in.post(f"/gists/{HELLO}/comments/{top}/delete")


def validator(spec: dict, schema: dict) -> jsonschema.Draft202012Validator:
    """Validates against `schema`, its "#/components/..." references resolved in the document."""
    return jsonschema.Draft202012Validator({**schema, "components": spec["components"]},
                                           format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def documented(spec: dict, path: str, method: str, status: int) -> dict:
    answer = spec["paths"][path][method]["responses"][str(status)]
    if "$ref" in answer:
        answer = spec["components"]["responses"][answer["$ref"].rsplit("/", 1)[1]]
    return answer


async def test_the_document_is_valid_openapi_3_1_and_names_this_site(client, settings):
    response = await client.get("/api/v1/openapi.json")
    spec = response.json()
    validate_openapi(spec)
    assert spec["openapi"] == "3.1.0" and spec["servers"] == [{"url": f"{settings.site_url}/api/v1"}]
    assert set(spec["paths"]) == {"/gists", "/gists/{gist_id}", "/gists/{gist_id}/comments", "/users/{handle}",
                                  "/gists/{gist_id}/comments/{comment_id}/reactions",
                                  "/gists/{gist_id}/comments/{comment_id}/reactions/{content}",
                                  "/tags", "/search", "/openapi.json"}


async def test_real_answers_match_their_documented_schemas_and_headers(signed_in, db, settings):
    await fill(db, signed_in)
    token = await make_token(signed_in)
    program = Client(settings.site_url)
    spec = (await program.get("/api/v1/openapi.json")).json()
    calls = [
        ("/gists", "get", "/gists?per_page=2"), ("/gists", "get", "/gists?sort=discussed"),
        ("/gists", "get", "/gists?sort=loved&tag=python"), ("/gists", "get", "/gists?page=abc"),
        ("/gists/{gist_id}", "get", f"/gists/{HELLO}"), ("/gists/{gist_id}", "get", f"/gists/{gist_id(1)}"),
        ("/gists/{gist_id}", "get", f"/gists/{gist_id(9)}"),
        ("/gists/{gist_id}/comments", "get", f"/gists/{HELLO}/comments"),
        ("/users/{handle}", "get", "/users/ada-crafted"), ("/users/{handle}", "get", "/users/ada"),
        ("/tags", "get", "/tags"), ("/search", "get", "/search?q=websocket&per_page=1"),
        ("/search", "get", "/search?q=nothing-matches"), ("/openapi.json", "get", "/openapi.json"),
    ]
    for path, method, address in calls:
        response = await program.get("/api/v1" + address)
        answer = documented(spec, path, method, response.code)
        validator(spec, answer["content"]["application/json"]["schema"]).validate(response.json())
        for name in answer["headers"]:
            assert name in response.headers or name in ("Link", "Retry-After", "ETag"), (address, name)
    writes = [
        ("/gists", {"url": gist_id(5)}, 404), ("/gists", {"url": HELLO, "tags": ["x"]}, 201),
        ("/gists/{gist_id}/comments", {"body": "from the API", "file": "hello.py", "line": 1}, 201),
        ("/gists/{gist_id}/comments", {"body": 1}, 400), ("/gists/{gist_id}/comments", {"body": " "}, 422),
    ]
    for path, body, status in writes:
        response = await api_post(program, "/api/v1" + path.replace("{gist_id}", HELLO), body, token)
        assert response.code == status, response.text
        schema = documented(spec, path, "post", status)["content"]["application/json"]["schema"]
        validator(spec, schema).validate(response.json())
    unauthorised = await api_post(program, "/api/v1/gists", {"url": HELLO})
    validator(spec, documented(spec, "/gists", "post", 401)["content"]["application/json"]["schema"]).validate(
        unauthorised.json())


async def test_the_api_page_shows_every_operation_parameter_response_and_a_curl_example(client, settings):
    page = (await client.get("/api")).text
    spec = (await client.get("/api/v1/openapi.json")).json()
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            assert f'{method.upper()}</span> <code>{path}</code>' in page
            assert html.escape(operation["summary"]) in page
    for name in ("per_page", "sort", "tag", "q", "gist_id", "handle", "If-None-Match", "parent", "line"):
        assert f"<code>{name}</code>" in page
    assert f"curl -i {settings.site_url}/api/v1/gists/{HELLO}/comments" in page
    assert "Authorization: Bearer $TOKEN" in page and "<code>422</code>" in page
    assert 'id="object-GistSummary"' in page
    assert active_content(page) == [] and " style=" not in page
    assert 'href="/api"' in page   # the footer links here from every page


def fuzz(spec: dict, base_url: str, token: str) -> list[str]:
    """Run schemathesis's engine (examples, coverage and fuzzing phases) over the API; what it found.

    Bounded and deterministic: a fixed seed, a few examples an operation, one worker.
    422 counts as accepting valid data: whether a comment's parent exists or a URL names a gist
    cannot be written in a schema, and the API answers such requests with 422.
    """
    config = schemathesis.Config.from_dict({
        "seed": 12345, "base-url": base_url, "headers": {"Authorization": f"Bearer {token}"}, "workers": 1,
        "generation": {"max-examples": 8, "deterministic": True, "database": "none"},
        "phases": {"stateful": {"enabled": False}},
        "checks": {"positive_data_acceptance": {
            "expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "422", "429", "5xx"]}},
    })
    schema = schemathesis.openapi.from_dict(spec, config=config)
    found = []
    for event in from_schema(schema).execute():
        if isinstance(event, (events.NonFatalError, events.FatalError)):
            found.append(f"error: {getattr(event, 'value', None) or event.exception!r}")
        if isinstance(event, events.ScenarioFinished):
            for checks in event.recorder.checks.values():
                found += [f"{event.label}: {check.name}: {check.failure_info.failure.title}\n"
                          f"{check.failure_info.code_sample}" for check in checks if check.failure_info]
    return found


class TestSchemathesis:
    @pytest.fixture
    def settings(self, settings):
        return dataclasses.replace(settings, api_rate_limit=100_000)

    @pytest.mark.timeout(120)
    async def test_schemathesis_finds_no_server_error_and_no_schema_violation(self, signed_in, db, settings):
        await fill(db, signed_in)
        token = await make_token(signed_in)
        spec = (await signed_in.get("/api/v1/openapi.json")).json()
        # In a thread: schemathesis's requests are blocking, and the site answers on this loop.
        found = await asyncio.to_thread(fuzz, spec, f"{settings.site_url}/api/v1", token)
        assert found == [], "\n\n".join(dict.fromkeys(found))
