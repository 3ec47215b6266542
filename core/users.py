"""Editor accounts: argon2id password hashes in the `[editors]` table of `.streamlit/secrets.toml`,
and which login the dashboard uses (OIDC via st.login, a password form, or single-user mode)."""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from core.review import Policy
from core.store import IN_CHECKOUT

REPO_DIR = Path(__file__).resolve().parents[1]
# Where Streamlit reads secrets: the checkout's .streamlit/, or (installed) the working directory's.
DEFAULT_SECRETS = (REPO_DIR if IN_CHECKOUT else Path.cwd()) / ".streamlit" / "secrets.toml"
SECRETS_ENV = "GARRISON_SECRETS"
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")
MIN_PASSWORD = 10

_hasher = PasswordHasher()  # argon2id, the library's (RFC 9106 low-memory) defaults
# Verified against when the name is unknown, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash("garrison-no-such-editor")


class UserError(ValueError):
    """A bad name or password, or a secrets file that cannot be read; str() is for the user."""


def secrets_path(path: str | Path | None = None) -> Path:
    return Path(path or os.environ.get(SECRETS_ENV) or DEFAULT_SECRETS)


def load_secrets(path: str | Path | None = None) -> dict[str, Any]:
    """The secrets file as a dict ({} when it does not exist)."""
    file = secrets_path(path)
    if not file.exists():
        return {}
    try:
        return tomllib.loads(file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UserError(f"{file}: not valid TOML ({exc})") from None


def editors(secrets: Mapping[str, Any]) -> frozenset[str]:
    """Names of the configured editors (keys of [editors])."""
    table = secrets.get("editors") or {}
    return frozenset(k for k, v in table.items() if isinstance(v, str))


def oidc_configured(secrets: Mapping[str, Any]) -> bool:
    """True when an [auth] section configures st.login (client_id at top level or per provider)."""
    auth = secrets.get("auth")
    if not isinstance(auth, Mapping):
        return False
    return "client_id" in auth or any(isinstance(v, Mapping) and "client_id" in v for v in auth.values())


def login_mode(secrets: Mapping[str, Any]) -> str:
    """'oidc' (st.login), 'password' (editors in [editors]), or 'single-user' (no editor configured:
    submissions are published directly)."""
    if oidc_configured(secrets):
        return "oidc"
    return "password" if editors(secrets) else "single-user"


def policy(secrets: Mapping[str, Any]) -> Policy:
    """Review policy from secrets: the editors, and [review] allow_self_approval (default false).
    With OIDC, list editor identities (emails) under [review] editors = [...]."""
    review = secrets.get("review") or {}
    names = editors(secrets) | frozenset(review.get("editors", ()))
    return Policy(editors=names, allow_self_approval=bool(review.get("allow_self_approval", False)))


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password must be at least {MIN_PASSWORD} characters long")
    return _hasher.hash(password)


def verify(name: str, password: str, secrets: Mapping[str, Any]) -> bool:
    """True when `name` is an editor and `password` matches; argon2's verify compares in constant
    time, and an unknown name costs the same as a wrong password."""
    stored = (secrets.get("editors") or {}).get(name)
    if not isinstance(stored, str):
        try:
            _hasher.verify(_DUMMY_HASH, password)
        except VerificationError:
            pass
        return False
    try:
        return _hasher.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _toml_string(value: str) -> str:
    # JSON string escapes (\" \\ \n \uXXXX) are valid TOML basic-string escapes.
    return json.dumps(value, ensure_ascii=True)


def _without_editors_table(text: str) -> str:
    """The file's text minus its [editors] table (from its header to the next table header)."""
    out, skipping = [], False
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped.startswith("["):
            skipping = stripped.replace(" ", "") in ("[editors]",)
        if not skipping:
            out.append(line)
    return "".join(out)


def add_user(name: str, password: str, path: str | Path | None = None) -> Path:
    """Add or replace editor `name` in the secrets file (other settings are kept). Returns the path."""
    if not NAME.match(name):
        raise UserError(f"{name!r} is not a valid editor name: use letters, digits and . _ @ - (up to 64)")
    file = secrets_path(path)
    secrets = load_secrets(file)
    table = dict(secrets.get("editors") or {})
    table[name] = hash_password(password)
    text = file.read_text(encoding="utf-8") if file.exists() else ""
    text = _without_editors_table(text).rstrip("\n")
    section = ["[editors]", "# name = argon2id hash (garrison user add NAME)"]
    section += [f"{_toml_string(k)} = {_toml_string(v)}" for k, v in sorted(table.items())]
    text = (text + "\n\n" if text else "") + "\n".join(section) + "\n"
    if editors(tomllib.loads(text)) != frozenset(table):  # never write a file we cannot read back
        raise UserError(f"{file}: could not update the [editors] table; edit the file by hand")
    file.parent.mkdir(parents=True, exist_ok=True)
    tmp = file.with_name(file.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.chmod(tmp, 0o600)
    os.replace(tmp, file)
    return file
