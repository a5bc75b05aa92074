"""The OpenAPI document as the /api page shows it: operations flattened, references resolved, curl examples."""

import json
import re
import shlex
import urllib.parse


def resolve(spec: dict, node: dict) -> dict:
    """`node`, or what its "$ref" (#/components/...) points to."""
    while "$ref" in node:
        target = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def type_text(spec: dict, schema: dict) -> str:
    """A schema in a few words: "integer, 1 to 100", "array of Tag", "string or null"."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[1]
    if "oneOf" in schema:
        return " or ".join(type_text(spec, option) for option in schema["oneOf"])
    kinds = schema.get("type", "any")
    text = " or ".join(kinds) if isinstance(kinds, list) else kinds
    if text == "array":
        text = f"array of {type_text(spec, schema.get('items', {}))}"
    if "enum" in schema:
        text += ": " + " | ".join(map(str, schema["enum"]))
    if "minimum" in schema and "maximum" in schema:
        text += f", {schema['minimum']:,} to {schema['maximum']:,}"
    if "maxLength" in schema:
        text += f", at most {schema['maxLength']:,} characters"
    return text


def _parameter_rows(spec: dict, operation: dict) -> list[dict]:
    rows = []
    for param in (resolve(spec, p) for p in operation.get("parameters", [])):
        schema = param["schema"]
        rows.append({"name": param["name"], "in": param["in"], "required": param.get("required", False),
                     "type": type_text(spec, schema), "default": schema.get("default"),
                     "description": param.get("description", "")})
    return rows


def _body_rows(spec: dict, operation: dict) -> list[dict]:
    if "requestBody" not in operation:
        return []
    schema = resolve(spec, operation["requestBody"]["content"]["application/json"]["schema"])
    return [{"name": name, "required": name in schema.get("required", []), "type": type_text(spec, field),
             "description": field.get("description", "")} for name, field in schema["properties"].items()]


def _response_row(spec: dict, status: str, answer: dict) -> tuple[str, str, str | None, str | None]:
    """(status, meaning, the JSON body's type, the object it is or holds, if one of the document's)."""
    answer = resolve(spec, answer)
    schema = answer.get("content", {}).get("application/json", {}).get("schema")
    if schema is None:
        return status, answer["description"], None, None
    named = schema.get("items", schema).get("$ref", "").rsplit("/", 1)[-1] or None
    return status, answer["description"], type_text(spec, schema), named


def objects(spec: dict) -> list[tuple[str, list[dict]]]:
    """Each object the API answers or accepts, with its fields."""
    return [(name, [{"name": field, "required": field in schema.get("required", []), "type": type_text(spec, sub),
                     "description": sub.get("description", "")} for field, sub in schema["properties"].items()])
            for name, schema in spec["components"]["schemas"].items()]


def curl(spec: dict, path: str, method: str, operation: dict) -> str:
    """A command line that calls the operation with the document's example values."""
    server = spec["servers"][0]["url"]
    query = {}
    for param in (resolve(spec, p) for p in operation.get("parameters", [])):
        if param["in"] == "path":
            path = path.replace("{" + param["name"] + "}", str(param["example"]))
        elif param["in"] == "query" and param.get("required"):
            query[param["name"]] = param["example"]
    url = server + path + ("?" + urllib.parse.urlencode(query) if query else "")
    if method == "get":
        return f"curl -i {shlex.quote(url)}"
    command = f'curl -i -X {method.upper()} -H "Authorization: Bearer $TOKEN" '
    if "requestBody" not in operation:   # a reaction: all it says is in its address
        return command + shlex.quote(url)
    body = json.dumps(operation["requestBody"]["content"]["application/json"]["example"])
    return command + f'-H "Content-Type: application/json" -d {shlex.quote(body)} {shlex.quote(url)}'


def operations(spec: dict) -> list[dict]:
    """Every operation, in document order, as the /api page lists it."""
    found = []
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            found.append({
                "id": re.sub(r"[^a-z_]+", "-", f"{method}{path}").strip("-"),
                "method": method.upper(), "path": path, "summary": operation["summary"],
                "description": operation["description"], "token": "security" in operation,
                "parameters": _parameter_rows(spec, operation), "body": _body_rows(spec, operation),
                "responses": [_response_row(spec, status, answer) for status, answer in operation["responses"].items()],
                "curl": curl(spec, path, method, operation),
            })
    return found
