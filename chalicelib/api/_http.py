"""The one way routes are declared: Chalice route + OpenAPI entry + validation + problems.

``Area.route`` registers the Chalice view, records the operation for ``/openapi.json``,
validates the JSON body against the documented schema, negotiates the language and turns
every ``AppError`` (and any unexpected exception) into ``application/problem+json``.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from chalice import Blueprint, Response
from chalice.app import Request

from chalicelib.api.authorizer import authorizer
from chalicelib.config import settings
from chalicelib.domain.principal import Principal
from chalicelib.errors import (
    PROBLEM_CONTENT_TYPE,
    AppError,
    FieldError,
    Forbidden,
    PayloadTooLarge,
    Unauthorized,
    ValidationFailed,
    problem_body,
)
from chalicelib.i18n import negotiate
from chalicelib.observability import logger, metrics

JSON = "application/json"


@dataclass
class Operation:
    area: str
    path: str
    method: str
    summary: str
    operation_id: str
    auth: bool
    roles: frozenset[str] | None
    request: dict[str, Any] | None
    response: dict[str, Any] | None
    status: int
    errors: tuple[int, ...]
    content_types: tuple[str, ...]
    response_type: str
    query: dict[str, Any] | None
    description: str = ""
    _validator: Callable[[Any], Any] | None = field(default=None, repr=False)
    _query_validator: Callable[[Any], Any] | None = field(default=None, repr=False)

    def validate(self, body: Any) -> None:
        if self.request is None:
            return
        if self._validator is None:
            self._validator = _compile(self.request)
        _check(self._validator, body)

    def validate_query(self, query: dict[str, str]) -> dict[str, str]:
        """The query string against its documented schema (the same one ``/openapi.json``
        shows); a route without one takes no parameters, so anything sent is ignored."""
        if self.query is None:
            return {}
        if self._query_validator is None:
            self._query_validator = _compile(self.query)
        _check(self._query_validator, query)
        return query


def _compile(schema: dict[str, Any]) -> Callable[[Any], Any]:
    import fastjsonschema

    return fastjsonschema.compile(schema, formats=FORMATS)


def _check(validator: Callable[[Any], Any], value: Any) -> None:
    from fastjsonschema import JsonSchemaValueException

    try:
        validator(value)
    except JsonSchemaValueException as exc:
        if exc.rule == "additionalProperties":
            extra = sorted(set(value) - set((exc.definition or {}).get("properties", {})))
            raise ValidationFailed(
                errors=[FieldError(extra[0] if extra else "query", "field.unknown")]
            ) from None
        raise ValidationFailed(errors=[_field_error(exc)]) from None


def _field_error(exc: Any) -> FieldError:
    path = [p for p in (exc.path or []) if p != "data"]
    name = ".".join(str(p) for p in path) or "body"
    if exc.rule == "required":
        # "data.x must contain ['a', 'b'] properties": the first missing one.
        value = exc.value if isinstance(exc.value, dict) else {}
        missing = next((str(r) for r in exc.rule_definition or [] if r not in value), "body")
        return FieldError(f"{name}.{missing}" if name != "body" else missing, "field.required")
    if exc.rule == "format" and exc.rule_definition in ("date", "date-time"):
        return FieldError(name, "request.bad_date", {"first": FIRST_DATE, "last": LAST_DATE})
    return FieldError(name, "field.invalid")


OPERATIONS: list[Operation] = []


@dataclass
class Ctx:
    """What a view gets besides path parameters."""

    request: Request
    lang: str
    principal: Principal | None
    body: Any = None
    query: dict[str, str] = field(default_factory=dict)
    """The query string, validated against the route's documented ``query`` schema."""

    def require_principal(self) -> Principal:
        if self.principal is None:
            raise Unauthorized()
        return self.principal


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        body=json.dumps(body, ensure_ascii=False, default=_default),
        status_code=status,
        headers={"Content-Type": f"{JSON}; charset=utf-8", **(headers or {})},
    )


def problem_response(error: AppError, lang: str, path: str | None = None) -> Response:
    return Response(
        body=problem_body(error, lang, path),
        status_code=error.status,
        headers={
            "Content-Type": f"{PROBLEM_CONTENT_TYPE}; charset=utf-8",
            "Content-Language": lang,
            **error.headers,
        },
    )


# --- the request guard: hostile input is refused with a 4xx before it can hurt --------

MAX_BODY_BYTES = 64 * 1024
"""A body's default ceiling; a route whose schema allows longer strings gets that much more."""
MAX_DEPTH = 16
"""JSON nesting allowed (the deepest documented body has 4 levels)."""
MAX_SAFE_INT = 2**53 - 1
"""Integers beyond JSON's interoperable range (and DynamoDB's 38 digits) are refused."""
FIRST_DATE, LAST_DATE = "2000-01-01", "2099-12-31"
"""Dates and timestamps a utility's customer office can mean (an outage in 1900 is a typo)."""

_BAD_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = re.compile(rb"[^\[\]{}]+")


class _Refused(ValueError):
    def __init__(self, error: AppError) -> None:
        super().__init__(error.key)
        self.error = error


def body_limit(schema: dict[str, Any] | None) -> int:
    """The byte ceiling of a route's body: the default, or its longest string plus a margin."""
    longest = 0
    stack: list[Any] = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("maxLength"), int):
                longest = max(longest, node["maxLength"])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return max(MAX_BODY_BYTES, longest + 1024 * 1024 if longest > MAX_BODY_BYTES else 0)


def json_depth(raw: bytes) -> int:
    """How deeply a JSON text nests, measured without parsing it (strings removed first, so
    brackets inside them do not count): a 5 000-deep body never reaches the recursive parser."""
    brackets = _NOT_BRACKET.sub(b"", _JSON_STRING.sub(b"", raw))
    depth = deepest = 0
    for ch in brackets:
        if ch in b"[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _refuse_constant(name: str) -> Any:
    raise _Refused(ValidationFailed("request.bad_number"))


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value) or abs(value) > MAX_SAFE_INT:
        raise _Refused(ValidationFailed("request.bad_number"))
    return value


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > 16 or abs(int(text)) > MAX_SAFE_INT:
        raise _Refused(ValidationFailed("request.bad_number"))
    return int(text)


def check_text(value: Any, where: str = "body") -> None:
    """Refuse control characters (tab, line feed and carriage return aside) and lone
    surrogates in every string and key of a parsed body: they cannot be stored, printed on
    an invoice or encoded as UTF-8, and a NUL in a name breaks every system downstream."""
    stack: list[tuple[Any, str]] = [(value, where)]
    while stack:
        node, path = stack.pop()
        if isinstance(node, str):
            if _BAD_TEXT.search(node):
                raise ValidationFailed(errors=[FieldError(path, "request.bad_text")])
        elif isinstance(node, dict):
            for key, item in node.items():
                name = key if path == "body" else f"{path}.{key}"
                if _BAD_TEXT.search(key):
                    raise ValidationFailed(errors=[FieldError(path, "request.bad_text")])
                stack.append((item, name))
        elif isinstance(node, list):
            stack.extend((item, f"{path}.{i}") for i, item in enumerate(node))


def _parse_body(request: Request, limit: int = MAX_BODY_BYTES) -> Any:
    raw = request.raw_body
    if not raw:
        raise ValidationFailed("error.bad_json")
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogatepass")
    if len(raw) > limit:
        raise PayloadTooLarge("request.too_large", limit=limit)
    if json_depth(raw) > MAX_DEPTH:
        raise ValidationFailed("request.too_deep", limit=MAX_DEPTH)
    try:
        body = json.loads(
            raw,
            parse_constant=_refuse_constant,
            parse_float=_finite_float,
            parse_int=_bounded_int,
        )
    except _Refused as exc:
        raise exc.error from None
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise ValidationFailed("error.bad_json") from None
    check_text(body)
    return body


def _date_in_range(value: str) -> bool:
    """A real calendar date (no 2026-02-30) inside the product's years."""
    from datetime import date

    try:
        day = date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10 and FIRST_DATE <= day.isoformat() <= LAST_DATE


def _datetime_in_range(value: str) -> bool:
    """An ISO 8601 timestamp (offset optional) of a real instant inside the product's years."""
    from datetime import datetime

    text = value.strip()
    if len(text) < 10 or not text[:4].isdigit():
        return False
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return False
    return FIRST_DATE <= moment.date().isoformat() <= LAST_DATE


FORMATS: dict[str, Callable[[str], bool]] = {
    "date": _date_in_range,
    "date-time": _datetime_in_range,
}


class Area:
    """One API area (Blueprint) whose routes are documented as they are declared."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.blueprint = Blueprint(f"chalicelib.api.{name}")

    def route(
        self,
        path: str,
        method: str,
        *,
        summary: str,
        auth: bool = True,
        roles: Collection[str] | None = None,
        request: dict[str, Any] | None = None,
        response: dict[str, Any] | None = None,
        status: int = 200,
        errors: tuple[int, ...] = (),
        content_types: tuple[str, ...] = (JSON,),
        response_type: str = JSON,
        query: dict[str, Any] | None = None,
        description: str = "",
        local_only: bool = False,
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Declare a route. ``local_only`` routes (the sandbox payment operator, the outbox)
        exist only in the ``local`` stage: elsewhere they are neither served nor documented."""

        def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
            if local_only and settings().stage != "local":
                return fn
            op = Operation(
                area=self.name,
                path=path,
                method=method.upper(),
                summary=summary,
                operation_id=f"{self.name}_{fn.__name__}",
                auth=auth,
                roles=frozenset(roles) if roles else None,
                request=request,
                response=response,
                status=status,
                errors=tuple(sorted(set(errors) | ({400, 413, 415} if request else set()))),
                content_types=content_types,
                response_type=response_type,
                query=query,
                description=description,
            )
            OPERATIONS.append(op)
            bp = self.blueprint
            limit = body_limit(request)

            @functools.wraps(fn)
            def view(**params: Any) -> Any:
                req = bp.current_request
                lang = negotiate(req.headers.get("accept-language"))
                try:
                    principal = None
                    if auth:
                        ctx_auth = (req.context or {}).get("authorizer") or {}
                        principal = Principal.from_context(ctx_auth)
                        if not principal.username:
                            raise Unauthorized()
                        if op.roles and principal.role not in op.roles:
                            raise Forbidden()
                    ctx = Ctx(request=req, lang=lang, principal=principal)
                    check_text(params, "path")
                    query = dict(req.query_params or {})
                    check_text(query, "query")
                    ctx.query = op.validate_query(query)
                    if request is not None:
                        ctx.body = _parse_body(req, limit)
                        op.validate(ctx.body)
                    result = fn(ctx, **params)
                    if isinstance(result, Response):
                        return result
                    return json_response(result, status)
                except AppError as exc:
                    metrics.add_metric(name="ClientErrors", unit="Count", value=1)
                    logger.info("request refused", extra={"code": exc.key, "status": exc.status})
                    return problem_response(
                        exc, lang, req.context.get("path") if req.context else None
                    )
                except Exception:
                    logger.exception("unhandled error", extra={"operation": op.operation_id})
                    return problem_response(AppError(), lang)

            view.__name__ = op.operation_id
            bp.route(
                path,
                methods=[op.method],
                authorizer=authorizer if auth else None,
                content_types=list(content_types),
            )(view)
            return fn

        return decorate
