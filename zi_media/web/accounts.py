"""Who may sign in: passwords hashed with Argon2id (argon2-cffi, its recommended parameters),
sign-in attempts limited per name and per address, sessions as random tokens whose hash is
kept (a copied database opens no session), each with its own CSRF token."""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..errors import InputError
from .store import Role, Store, User, valid_name

SESSION_S = 8 * 3600  # a working day; then sign in again
MAX_FAILURES = 5  # failed sign-ins of one name within WINDOW_S
MAX_ADDRESS_FAILURES = 50  # from one address (a court's office signs in from behind one)
WINDOW_S = 15 * 60
MIN_PASSWORD = 10

_hasher = PasswordHasher()
_NOBODY = _hasher.hash("an unknown user still costs one verification")  # no timing tells a name exists


@dataclass(frozen=True)
class Session:
    user: User
    csrf: str
    expires: float


def hashed(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise InputError(f"a password has at least {MIN_PASSWORD} characters")
    return _hasher.hash(password)


def add_user(store: Store, name: str, role: Role, password: str) -> None:
    store.add_user(valid_name(name), role, hashed(password))


def _token_key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class TooManyAttempts(Exception):
    def __init__(self, wait_s: float) -> None:
        super().__init__(wait_s)
        self.wait_s = wait_s


def sign_in(store: Store, name: str, password: str, address: str) -> tuple[str, Session] | None:
    """A new session's token for a right name and password of an active user; None otherwise.
    Raises TooManyAttempts while the name or the address has failed too often of late."""
    now = time.time()
    for who, most in ((f"name:{name.casefold()}", MAX_FAILURES), (f"addr:{address}", MAX_ADDRESS_FAILURES)):
        n, first = store.failures_since(who, now - WINDOW_S)
        if n >= most:
            raise TooManyAttempts(first + WINDOW_S - now)
    user = store.user(name)
    try:
        _hasher.verify(user.hash if user else _NOBODY, password)
        ok = user is not None and user.active
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok or user is None:
        store.failed(f"name:{name.casefold()}")
        store.failed(f"addr:{address}")
        return None
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    session = Session(user, csrf, now + SESSION_S)
    store.add_session(_token_key(token), user.name, csrf, session.expires)
    return token, session


def session(store: Store, token: str) -> Session | None:
    """The live session of a cookie's token: None when unknown, expired or of a disabled user."""
    found = store.session(_token_key(token)) if token else None
    if found is None or found[2] < time.time():
        return None
    return Session(*found)


def sign_out(store: Store, token: str) -> None:
    store.end_session(_token_key(token))
