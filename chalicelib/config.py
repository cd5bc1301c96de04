"""Typed settings read from the environment (set per stage in .chalice/config.json)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache

STAGES = ("local", "dev", "prod")


class ConfigurationError(RuntimeError):
    """The process cannot start safely with this environment."""


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def _stage() -> str:
    """Fail closed: a missing or unknown stage refuses to start (it never means "local",
    which would switch on the sandbox payment operator and the outbox)."""
    stage = os.environ.get("STAGE", "")
    if stage not in STAGES:
        raise ConfigurationError(f"STAGE must be one of {', '.join(STAGES)}; got {stage!r}")
    return stage


# No generated repr (it would print every secret below into a log line or a traceback) and no
# generated eq/hash (one instance per container): ~1 ms less of every cold start, too.
@dataclass(frozen=True, repr=False, eq=False)
class Settings:
    stage: str
    region: str
    table_name: str
    documents_bucket: str
    invoices_bucket: str
    reports_bucket: str
    statements_bucket: str
    sender_email: str
    ses_configuration_set: str
    cognito_user_pool_id: str
    cognito_client_id: str
    cognito_jwks_url: str
    invoicing_queue: str
    delivery_queue: str
    notifier_queue: str
    sms_queue: str
    statements_queue: str
    sms_cities: tuple[str, ...]
    dev_outbox_url: str
    bank_sort_code: str
    payee_prefix: str
    seller_name: str
    seller_nip: str
    seller_address: str
    portal_url: str
    regulations_version: str
    # Online payments (payment operator adapter; "sandbox" is the local stand-in).
    payment_operator: str = "sandbox"
    payment_operator_url: str = "/sandbox/pay"
    payment_notify_url: str = ""
    payment_merchant_id: str = "ebok-local"
    payment_hmac_secret: str = ""
    cognito_client_secret: str = ""
    # The pool's JWKS document (JSON): the authorizer's keys without a request at a cold
    # start; empty (or a key it lacks) fetches them from ``jwks_url``.
    cognito_jwks: str = ""
    # The utility's own bank accounts (IBAN or NRB): a statement of any other account is
    # refused. Outside local only from the environment (none: every statement is refused).
    statement_accounts: tuple[str, ...] = ()
    # Przelewy24 (PAYMENT_OPERATOR=przelewy24): credentials only from the environment.
    p24_merchant_id: int = 0
    p24_pos_id: int = 0
    p24_api_key: str = ""
    p24_crc: str = ""
    p24_url: str = "https://sandbox.przelewy24.pl"
    # Senders' pacing (adapters.ses / adapters.sns): "quota" reads SES's GetSendQuota once per
    # container, a number is messages per second for the whole account, "off" does not pace
    # (the local stand-in has no real limits). ``*_senders`` is how many containers may send
    # at once (the event sources' maximum concurrency): each takes its share of the rate.
    notices_queue: str = "ebok-local-notices"
    ses_send_rate: str = "off"
    ses_senders: int = 1
    sms_send_rate: str = "off"
    sms_senders: int = 1
    # Consumption reports (jobs.reports) and the weather / air-quality sources. The local
    # stage reads the sources' recorded responses (data/imgw, data/gios): nothing reaches the
    # internet; dev and prod use the public APIs (or IMGW_URL / GIOS_URL).
    reports_queue: str = "ebok-local-reports"
    imgw_url: str = ""
    gios_url: str = ""
    # Staff money actions (corrections): above ``approval`` grosze a second staff login
    # approves (four-eyes); above ``max`` grosze nothing is accepted at all.
    correction_approval_grosze: int = 100_000
    correction_max_grosze: int = 100_000_000
    # KSeF (services.ksef): the API 2.0 base URL, the KSeF token (a secret: never a default
    # outside local), the KOD I base of the visualisation's QR code (kody-qr.md) and the
    # submission queue. Outside local the URLs default to the Ministry's production ones, so
    # KSeF cannot be off by omission; locally the stack points them at its stand-in (empty:
    # no KSeF, e.g. in tests that do not bring the stand-in).
    ksef_api_url: str = ""
    ksef_token: str = ""
    ksef_qr_url: str = "https://qr-test.ksef.mf.gov.pl"
    ksef_queue: str = "ebok-local-ksef"
    # Outage map tiles (portal): an XYZ template such as OpenStreetMap's; empty draws the
    # outages on a plain background (the local stack and tests: nothing from the internet).
    map_tiles_url: str = ""
    map_tiles_attribution: str = ""
    # Preferences, consents and personal data (services.preferences/privacy): the HMAC secret
    # of one-click unsubscribe tokens (never a default outside local), the SES feedback
    # (bounce/complaint) queue and the data-export queue.
    unsubscribe_secret: str = ""
    bounces_queue: str = "ebok-local-bounces"
    privacy_queue: str = "ebok-local-privacy"

    @property
    def cognito_issuer(self) -> str:
        return f"https://cognito-idp.{self.region}.amazonaws.com/{self.cognito_user_pool_id}"

    @property
    def jwks_url(self) -> str:
        return self.cognito_jwks_url or f"{self.cognito_issuer}/.well-known/jwks.json"

    @property
    def is_local(self) -> bool:
        return self.stage == "local"


IMGW_PUBLIC = "https://danepubliczne.imgw.pl/api/data/synop"
GIOS_PUBLIC = "https://api.gios.gov.pl/pjp-api/v1/rest"
# KSeF API 2.0 (srodowiska.md) and the KOD I bases (kody-qr.md, "Środowiska").
KSEF_API_PRD = "https://api.ksef.mf.gov.pl/v2"
KSEF_API_TEST = "https://api-test.ksef.mf.gov.pl/v2"
KSEF_QR_TEST = "https://qr-test.ksef.mf.gov.pl"
KSEF_QR_PRD = "https://qr.ksef.mf.gov.pl"
# OpenStreetMap's standard tiles (tile usage policy: attribution, a real Referer, no bulk).
OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = "© OpenStreetMap contributors"


def _source(stage: str, name: str, public: str) -> str:
    """The public API, or in the local stage the recorded responses under ``data/<name>``."""
    if stage != "local":
        return public
    from pathlib import Path

    return (Path(__file__).resolve().parents[1] / "data" / name).as_uri()


@lru_cache(maxsize=1)
def settings() -> Settings:
    """Settings are read once per container; tests call ``settings.cache_clear()``."""
    stage = _stage()
    return Settings(
        stage=stage,
        region=_env("AWS_REGION", _env("AWS_DEFAULT_REGION", "eu-central-1")),
        table_name=_env("TABLE_NAME", "ebok-local"),
        documents_bucket=_env("DOCUMENTS_BUCKET", "ebok-local-documents"),
        invoices_bucket=_env("INVOICES_BUCKET", "ebok-local-invoices"),
        reports_bucket=_env("REPORTS_BUCKET", "ebok-local-reports"),
        statements_bucket=_env("STATEMENTS_BUCKET", "ebok-local-statements"),
        sender_email=_env("SENDER_EMAIL", "ebok@cieplo.example.pl"),
        ses_configuration_set=_env("SES_CONFIGURATION_SET", "ebok-local"),
        cognito_user_pool_id=_env("COGNITO_USER_POOL_ID"),
        cognito_client_id=_env("COGNITO_CLIENT_ID"),
        # The app client's secret (SECRET_HASH); from the deployment's secret store, never a
        # default: without it Cognito refuses every login (fail closed).
        cognito_client_secret=_env("COGNITO_CLIENT_SECRET"),
        p24_merchant_id=int(_env("P24_MERCHANT_ID", "0") or 0),
        p24_pos_id=int(_env("P24_POS_ID", "0") or 0),
        p24_api_key=_env("P24_API_KEY"),
        p24_crc=_env("P24_CRC"),
        p24_url=_env(
            "P24_URL",
            "https://secure.przelewy24.pl" if stage == "prod" else "https://sandbox.przelewy24.pl",
        ),
        statement_accounts=tuple(
            a.strip()
            for a in _env(
                "STATEMENT_ACCOUNTS",
                "PL61109010140000071219812874,PL27114020040000300201355387"
                if stage == "local"
                else "",
            ).split(",")
            if a.strip()
        ),
        cognito_jwks_url=_env("COGNITO_JWKS_URL"),
        cognito_jwks=_env("COGNITO_JWKS"),
        invoicing_queue=_env("INVOICING_QUEUE", "ebok-local-invoicing"),
        delivery_queue=_env("DELIVERY_QUEUE", "ebok-local-delivery"),
        notifier_queue=_env("NOTIFIER_QUEUE", "ebok-local-notifier"),
        sms_queue=_env("SMS_QUEUE", "ebok-local-sms"),
        statements_queue=_env("STATEMENTS_QUEUE", "ebok-local-statements"),
        sms_cities=tuple(c.strip() for c in _env("SMS_CITIES", "Wrocław").split(",") if c.strip()),
        dev_outbox_url=_env("DEV_OUTBOX_URL"),
        bank_sort_code=_env("BANK_SORT_CODE", "10901014"),
        payee_prefix=_env("PAYEE_PREFIX", "9876"),
        seller_name=_env("SELLER_NAME", "Ciepło i Energia Wrocław S.A."),
        seller_nip=_env("SELLER_NIP", "8943005127"),
        seller_address=_env("SELLER_ADDRESS", "ul. Obornicka 1, 51-113 Wrocław"),
        portal_url=_env("PORTAL_URL", "https://ebok.cieplo.example.pl/"),
        regulations_version=_env("REGULATIONS_VERSION", "2026-01"),
        payment_operator=_env("PAYMENT_OPERATOR", "sandbox"),
        payment_operator_url=_env("PAYMENT_OPERATOR_URL", "/sandbox/pay"),
        payment_notify_url=_env("PAYMENT_NOTIFY_URL"),
        payment_merchant_id=_env("PAYMENT_MERCHANT_ID", "ebok-local"),
        # Outside the local stage the secret comes only from the environment (empty: every
        # notification is refused).
        payment_hmac_secret=_env(
            "PAYMENT_HMAC_SECRET",
            "ebok-local-sandbox-secret" if stage == "local" else "",
        ),
        notices_queue=_env("NOTICES_QUEUE", "ebok-local-notices"),
        ses_send_rate=_env("SES_SEND_RATE", "off" if stage == "local" else "quota"),
        ses_senders=max(1, int(_env("SES_SENDERS", "1"))),
        sms_send_rate=_env("SMS_SEND_RATE", "off" if stage == "local" else "20"),
        sms_senders=max(1, int(_env("SMS_SENDERS", "1"))),
        reports_queue=_env("REPORTS_QUEUE", "ebok-local-reports"),
        imgw_url=_env("IMGW_URL", _source(stage, "imgw", IMGW_PUBLIC)),
        gios_url=_env("GIOS_URL", _source(stage, "gios", GIOS_PUBLIC)),
        correction_approval_grosze=int(_env("CORRECTION_APPROVAL_GROSZE", "100000")),
        correction_max_grosze=int(_env("CORRECTION_MAX_GROSZE", "100000000")),
        ksef_api_url=_env(
            "KSEF_API_URL", {"local": "", "dev": KSEF_API_TEST}.get(stage, KSEF_API_PRD)
        ),
        ksef_token=_env("KSEF_TOKEN", "ebok-local-ksef-token" if stage == "local" else ""),
        ksef_qr_url=_env("KSEF_QR_URL", KSEF_QR_TEST if stage != "prod" else KSEF_QR_PRD),
        ksef_queue=_env("KSEF_QUEUE", "ebok-local-ksef"),
        map_tiles_url=_env("MAP_TILES_URL", "" if stage == "local" else OSM_TILES),
        map_tiles_attribution=_env("MAP_TILES_ATTRIBUTION", OSM_ATTRIBUTION),
        unsubscribe_secret=_env(
            "UNSUBSCRIBE_SECRET", "ebok-local-unsubscribe-secret" if stage == "local" else ""
        ),
        bounces_queue=_env("BOUNCES_QUEUE", "ebok-local-bounces"),
        privacy_queue=_env("PRIVACY_QUEUE", "ebok-local-privacy"),
    )
