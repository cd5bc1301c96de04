"""Domain errors and their RFC 9457 ``application/problem+json`` mapping."""

from __future__ import annotations

import json
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from chalicelib.i18n import t

PROBLEM_TYPE_BASE = "https://ebok.example.pl/problems/"
PROBLEM_CONTENT_TYPE = "application/problem+json"


@dataclass
class FieldError:
    field: str
    key: str
    params: dict[str, Any] = dc_field(default_factory=dict)


class AppError(Exception):
    """Base of every error the API turns into a problem document."""

    status = 500
    default_key = "error.internal"

    def __init__(
        self,
        key: str | None = None,
        *,
        errors: list[FieldError] | None = None,
        headers: dict[str, str] | None = None,
        **params: Any,
    ) -> None:
        self.key = key or self.default_key
        self.errors = errors or []
        self.params = params
        self.headers = headers or {}
        super().__init__(self.key)

    def title(self, lang: str) -> str:
        """The problem's short title: the default message with this error's fields filled
        in (a 423's "{minutes}" becomes the number), never a template with open braces."""
        try:
            title = t(self.default_key, lang, **self.params)
        except (KeyError, IndexError, ValueError):
            title = t(self.default_key, lang)
        if "{" in title:
            return t(AppError.default_key if self.status >= 500 else "error.validation", lang)
        return title

    def problem(self, lang: str, instance: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": PROBLEM_TYPE_BASE + self.key,
            "title": self.title(lang),
            "status": self.status,
            "detail": t(self.key, lang, **self.params),
            "code": self.key,
        }
        if instance:
            body["instance"] = instance
        if self.errors:
            body["errors"] = [
                {"field": e.field, "code": e.key, "message": t(e.key, lang, **e.params)}
                for e in self.errors
            ]
        return body


class ValidationFailed(AppError):
    status = 400
    default_key = "error.validation"


class Unauthorized(AppError):
    status = 401
    default_key = "error.unauthorized"


class Forbidden(AppError):
    status = 403
    default_key = "error.forbidden"


class NotFound(AppError):
    status = 404
    default_key = "error.not_found"


class Conflict(AppError):
    status = 409
    default_key = "error.conflict"


class Unprocessable(AppError):
    status = 422
    default_key = "error.validation"


class PayloadTooLarge(AppError):
    status = 413
    default_key = "request.too_large_title"


class UnsupportedMediaType(AppError):
    status = 415
    default_key = "request.unsupported_media_title"


class MethodNotAllowed(AppError):
    status = 405
    default_key = "request.method_not_allowed"


class TooManyRequests(AppError):
    status = 429
    default_key = "error.too_many"


def problem_body(error: AppError, lang: str, instance: str | None = None) -> str:
    return json.dumps(error.problem(lang, instance), ensure_ascii=False)
