"""The one way routes are declared: Chalice route + OpenAPI entry + validation + problems.

``Area.route`` registers the Chalice view, records the operation for ``/openapi.json``,
validates the JSON body against the documented schema, negotiates the language and turns
every ``AppError`` (and any unexpected exception) into ``application/problem+json``.
"""

from __future__ import annotations

import functools
import json
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

    return fastjsonschema.compile(schema)


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


def _parse_body(request: Request) -> Any:
    raw = request.raw_body
    if not raw:
        raise ValidationFailed("error.bad_json")
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise ValidationFailed("error.bad_json") from None


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
                errors=tuple(sorted(set(errors) | ({400} if request else set()))),
                content_types=content_types,
                response_type=response_type,
                query=query,
                description=description,
            )
            OPERATIONS.append(op)
            bp = self.blueprint

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
                    ctx.query = op.validate_query(dict(req.query_params or {}))
                    if request is not None:
                        ctx.body = _parse_body(req)
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
