"""Login, session, password and second-factor bodies."""

from __future__ import annotations

from chalicelib.schemas.common import BOOL, INT, NSTR, STR, Schema, array, obj

USERNAME: Schema = {
    "type": "string",
    "minLength": 1,
    "maxLength": 64,
    "pattern": r"^[0-9A-Za-z._@+-]+$",
}
PASSWORD: Schema = {"type": "string", "minLength": 1, "maxLength": 256}
SESSION: Schema = {"type": "string", "minLength": 1, "maxLength": 4096}
TOTP_CODE: Schema = {"type": "string", "pattern": r"^\d{6}$"}

TOKENS: Schema = obj(
    {
        "access_token": STR,
        "id_token": NSTR,
        "refresh_token": NSTR,
        "expires_in": INT,
        "token_type": STR,
    },
    ["access_token", "expires_in", "token_type"],
)

LOGIN: Schema = obj({"username": USERNAME, "password": PASSWORD}, ["username", "password"])

LOGIN_RESULT: Schema = {
    "oneOf": [
        obj({"tokens": TOKENS, "role": STR}, ["tokens", "role"]),
        obj(
            {
                "challenge": {"enum": ["NEW_PASSWORD_REQUIRED", "SOFTWARE_TOKEN_MFA"]},
                "session": STR,
                "username": STR,
            },
            ["challenge", "session", "username"],
        ),
    ]
}

NEW_PASSWORD: Schema = obj(
    {"username": USERNAME, "session": SESSION, "new_password": PASSWORD},
    ["username", "session", "new_password"],
)

MFA: Schema = obj(
    {"username": USERNAME, "session": SESSION, "code": TOTP_CODE}, ["username", "session", "code"]
)

REFRESH: Schema = obj(
    {"refresh_token": {"type": "string", "minLength": 1, "maxLength": 8192}}, ["refresh_token"]
)

REFRESH_RESULT: Schema = obj({"tokens": TOKENS, "role": STR}, ["tokens", "role"])

FORGOT: Schema = obj({"username": USERNAME}, ["username"])

ACCEPTED: Schema = obj({"status": STR}, ["status"])

CONFIRM_FORGOT: Schema = obj(
    {
        "username": USERNAME,
        "code": {"type": "string", "pattern": r"^\s*\d{6}\s*$"},
        "new_password": PASSWORD,
    },
    ["username", "code", "new_password"],
)

CHANGE_PASSWORD: Schema = obj(
    {"old_password": PASSWORD, "new_password": PASSWORD}, ["old_password", "new_password"]
)

PROFILE: Schema = obj(
    {
        "username": STR,
        "role": STR,
        "customers": array(STR),
        "email": NSTR,
        "mfa_enabled": BOOL,
        "created_at": NSTR,
    },
    ["username", "role", "customers", "mfa_enabled"],
)

TOTP_SETUP: Schema = obj({"secret": STR, "otpauth_uri": STR}, ["secret", "otpauth_uri"])
TOTP_VERIFY: Schema = obj({"code": TOTP_CODE}, ["code"])
TOTP_DISABLE: Schema = obj({"password": PASSWORD}, ["password"])
MFA_STATE: Schema = obj({"mfa_enabled": BOOL}, ["mfa_enabled"])
