"""Check a request's parameters and JSON body against the OpenAPI document's schemas. Pure functions.

Only the JSON Schema keywords the document uses for requests: type, enum, minimum, maximum,
minLength, maxLength, pattern, items, maxItems, properties, required, additionalProperties.
Messages name the field and say what it must be.
"""

import json
import re

INTEGER_TEXT = re.compile(r"[+-]?[0-9]{1,15}")
KINDS = {"string": "a string", "integer": "a whole number", "null": "null", "array": "an array",
         "object": "an object", "boolean": "true or false"}


class Invalid(ValueError):
    """str() is the message for the client."""


def _kind(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, float) and value.is_integer():
        return "integer"   # JSON Schema: 3.0 is an integer
    return {str: "string", int: "integer", list: "array", dict: "object"}.get(type(value), "number")


def _check_type(name: str, value, schema: dict) -> None:
    types = schema.get("type")
    if types is None:
        return
    types = [types] if isinstance(types, str) else types
    if _kind(value) not in types:
        raise Invalid(f"“{name}” must be {' or '.join(KINDS[t] for t in types)}.")


def _check_range(name: str, value: int, schema: dict) -> None:
    low, high = schema.get("minimum"), schema.get("maximum")
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = f"from {low} to {high}" if low is not None and high is not None else (
            f"at least {low}" if low is not None else f"at most {high}")
        raise Invalid(f"“{name}” must be {bounds}.")


def _check_string(name: str, value: str, schema: dict) -> None:
    if len(value) < schema.get("minLength", 0):
        raise Invalid(f"“{name}” must have at least {schema['minLength']} character(s).")
    if "maxLength" in schema and len(value) > schema["maxLength"]:
        raise Invalid(f"“{name}” must have at most {schema['maxLength']:,} characters.")
    if "pattern" in schema and not re.search(schema["pattern"], value):
        raise Invalid(f"“{name}” is not valid: {schema.get('description') or 'see the API documentation'}.")


def _check_object(name: str, value: dict, schema: dict) -> None:
    properties = schema.get("properties", {})
    for key in schema.get("required", []):
        if key not in value:
            raise Invalid(f"“{key}” is required.")
    for key, item in value.items():
        if key not in properties:
            if schema.get("additionalProperties", True) is False:
                raise Invalid(f"Unknown field “{key}”: the fields are {', '.join(properties)}.")
            continue
        check_value(key, item, properties[key])


def check_value(name: str, value, schema: dict):
    """`value` (parsed JSON) if it fits `schema`; Invalid says what is wrong first."""
    _check_type(name, value, schema)
    if "enum" in schema and value not in schema["enum"]:
        raise Invalid(f"“{name}” must be one of: {', '.join(map(str, schema['enum']))}.")
    kind = _kind(value)
    if kind == "integer":
        _check_range(name, value, schema)
    elif kind == "string":
        _check_string(name, value, schema)
    elif kind == "array":
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            raise Invalid(f"“{name}” has at most {schema['maxItems']} items.")
        for item in value:
            check_value(name, item, schema.get("items", {}))
    elif kind == "object":
        _check_object(name, value, schema)
    return value


def check_parameter(parameter: dict, text: str | None):
    """A query parameter's value from its text (None when absent: the default, or Invalid if required)."""
    name, schema = parameter["name"], parameter["schema"]
    if text is None:
        if parameter.get("required"):
            raise Invalid(f"“{name}” is required.")
        return schema.get("default")
    if schema.get("type") == "integer":
        if not INTEGER_TEXT.fullmatch(text):
            raise Invalid(f"“{name}” must be a whole number.")
        return check_value(name, int(text), schema)
    return check_value(name, text, schema)


def parse_json_object(body: bytes) -> dict:
    """A request body that must be one JSON object."""
    try:
        data = json.loads(body or b"null")
    except (ValueError, RecursionError):   # RecursionError: nesting deeper than the parser goes
        raise Invalid("The body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise Invalid("The body must be a JSON object.")
    return data
