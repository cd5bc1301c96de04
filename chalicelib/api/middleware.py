"""Per-invocation observability (correlation id, metrics flush) and what every HTTP answer
carries: Chalice's own refusals (405, 415, its bare 500) as problem documents, and the
security headers of the portal and the API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalicelib.observability import logger, metrics


def observe(event: Any, get_response: Callable[[Any], Any]) -> Any:
    ctx = getattr(event, "context", None)
    request_id = None
    if isinstance(ctx, dict):
        request_id = ctx.get("requestId")
    headers = getattr(event, "headers", None)
    if headers is not None:
        request_id = headers.get("x-correlation-id") or request_id
    logger.set_correlation_id(request_id)
    try:
        response = get_response(event)
    finally:
        if metrics.metric_set:
            metrics.flush_metrics()
    from chalice import Response

    if isinstance(response, Response) and headers is not None:
        response = _as_problem(event, response)
        _secure(event, response)
    return response


def _as_problem(request: Any, response: Any) -> Any:
    """Chalice answers a wrong method, a wrong content type or an unhandled error with its
    own ``{"Code": ..., "Message": ...}`` JSON; the API speaks RFC 9457 everywhere."""
    body = response.body
    if response.status_code < 400 or not isinstance(body, dict) or "Code" not in body:
        return response
    from chalicelib.api._http import problem_response
    from chalicelib.errors import AppError, MethodNotAllowed, UnsupportedMediaType
    from chalicelib.i18n import negotiate

    lang = negotiate(request.headers.get("accept-language"))
    error: AppError
    if response.status_code == 415:
        content_type = str(request.headers.get("content-type", ""))[:100]
        error = UnsupportedMediaType("request.unsupported_media", content_type=content_type)
    elif response.status_code == 405:
        error = MethodNotAllowed()
    else:
        error = AppError()
        error.status = response.status_code
    problem = problem_response(error, lang)
    for name, value in response.headers.items():
        if name.lower() not in ("content-type", "content-length"):
            problem.headers[name] = value
    return problem


PUBLIC_PATHS = frozenset({"/", "/static/{name}", "/static/vendor/{name}", "/favicon.ico"})
"""The portal's own files may be cached; every other answer may carry personal data."""


def content_security_policy(
    upload_origins: tuple[str, ...] = (), image_origins: tuple[str, ...] = ()
) -> str:
    """No inline script or style, no framing, no plugins; uploads go straight to S3; map
    tiles come from the configured tile server (image_origins) only."""
    extra = " ".join(upload_origins)
    images = " ".join((*upload_origins, *image_origins))
    connect = f"'self' {extra}".strip()
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; "
        f"img-src 'self' data: blob: {images}".rstrip()
        + f"; connect-src {connect}; font-src 'self'; object-src 'none'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )


def security_headers(
    path: str,
    *,
    local: bool,
    upload_origins: tuple[str, ...] = (),
    image_origins: tuple[str, ...] = (),
) -> dict[str, str]:
    """The headers every answer carries. HSTS only outside ``local`` (the local stack is
    plain http on 127.0.0.1, where HSTS would pin the browser to a TLS port nobody serves)."""
    headers = {
        "Content-Security-Policy": content_security_policy(upload_origins, image_origins),
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    if not local:
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if path not in PUBLIC_PATHS:
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
    return headers


def _upload_origins() -> tuple[str, ...]:
    """Where the portal's browsers post photos and documents (presigned S3 POSTs)."""
    import os
    from urllib.parse import urlsplit

    from chalicelib.config import settings

    cfg = settings()
    origins = [
        f"https://{cfg.documents_bucket}.s3.amazonaws.com",
        f"https://{cfg.documents_bucket}.s3.{cfg.region}.amazonaws.com",
    ]
    if cfg.is_local:
        endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
        if endpoint:
            parts = urlsplit(endpoint)
            origins.append(f"{parts.scheme}://{parts.netloc}")
    return tuple(origins)


def _tile_origins() -> tuple[str, ...]:
    """The map tile server's origin (settings.map_tiles_url), if any."""
    from urllib.parse import urlsplit

    from chalicelib.config import settings

    url = settings().map_tiles_url
    if not url:
        return ()
    parts = urlsplit(url.replace("{s}", "a"))
    return (f"{parts.scheme}://{parts.netloc}",) if parts.scheme and parts.netloc else ()


def _secure(request: Any, response: Any) -> None:
    from chalicelib.config import settings

    path = str((request.context or {}).get("resourcePath") or "")
    extra = security_headers(
        path,
        local=settings().is_local,
        upload_origins=_upload_origins(),
        image_origins=_tile_origins(),
    )
    present = {name.lower() for name in response.headers}
    for name, value in extra.items():
        if name.lower() not in present or name in ("Cache-Control", "Pragma"):
            response.headers[name] = value
