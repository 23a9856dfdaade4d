"""The hiring-event kiosk's lock: the coach passphrase (argon2) and its rate limit.

Core code (no Textual): the facade (`TalentSync.kiosk_*`) stores the hash in the
database's `meta` table and keeps one `PassphraseGate` per running kiosk.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_PASSPHRASE = 8
"""Characters a coach passphrase needs at least (a candidate must not guess it in minutes)."""
MAX_PASSPHRASE = 1024
FREE_ATTEMPTS = 3
"""Wrong passphrases allowed before each further attempt has to wait."""
FIRST_DELAY = 5.0
"""Seconds to wait after the third wrong passphrase; doubled after each further one."""
MAX_DELAY = 300.0

# argon2id at OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): 46-90 ms per check on
# the 2-core development machine under load, in one thread. The library's default (64 MiB,
# 3 passes, 4 lanes) took 510-720 ms there and its four threads starved the UI's event loop.
# The hash guards against guessing at the kiosk (rate-limited); whoever can read the
# database file can reset the passphrase anyway.
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


def check_new_passphrase(passphrase: str) -> str:
    """The passphrase to store, or ValueError saying in one line why it cannot be used."""
    if not passphrase.strip():
        raise ValueError("The passphrase is empty.")
    if len(passphrase) < MIN_PASSPHRASE:
        raise ValueError(f"The passphrase is too short: use at least {MIN_PASSPHRASE} characters.")
    if len(passphrase) > MAX_PASSPHRASE:
        raise ValueError(f"The passphrase is too long: at most {MAX_PASSPHRASE} characters.")
    return passphrase


def hash_passphrase(passphrase: str) -> str:
    """An argon2id hash (salted; the encoded string carries its parameters)."""
    return _hasher.hash(check_new_passphrase(passphrase))


def needs_rehash(stored_hash: str) -> bool:
    """True if the hash was made with other parameters (rehash it after a right passphrase)."""
    try:
        return _hasher.check_needs_rehash(stored_hash)
    except (InvalidHashError, ValueError):
        return False


def verify_passphrase(stored_hash: str, passphrase: str) -> bool:
    """True if `passphrase` matches; slow on purpose (argon2), so call it off the UI thread."""
    if not passphrase or len(passphrase) > MAX_PASSPHRASE:
        return False
    try:
        return _hasher.verify(stored_hash, passphrase)
    except VerifyMismatchError:
        return False
    except (VerificationError, InvalidHashError):
        return False  # a damaged hash unlocks nothing; `kiosk set-passphrase` sets a new one


@dataclass(frozen=True)
class Unlock:
    """The answer to one passphrase attempt."""

    ok: bool
    wait_seconds: float = 0.0
    """> 0: refused without checking, or wrong and now locked; try again after this long."""
    failures: int = 0

    @property
    def message(self) -> str:
        if self.ok:
            return "Unlocked."
        if self.wait_seconds > 0:
            return (f"Too many wrong passphrases: try again in {self.wait_seconds:.0f} s.")
        return "Wrong passphrase."


class PassphraseGate:
    """Checks passphrases with a rate limit: after FREE_ATTEMPTS wrong ones, every attempt
    must wait FIRST_DELAY seconds, doubling with each further failure (at most MAX_DELAY).

    An attempt made while locked is refused without being checked and does not extend the
    wait. A right passphrase resets the count. Thread-safe (workers call it).
    """

    def __init__(self, verify: Callable[[str], bool],
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._verify = verify
        self.clock = clock
        self._lock = threading.Lock()
        self._checking = threading.Lock()
        self.failures = 0
        self._locked_until = 0.0

    def wait_seconds(self) -> float:
        with self._lock:
            return max(0.0, self._locked_until - self.clock())

    def attempt(self, passphrase: str) -> Unlock:
        # One check at a time: a second prompt cannot double the guessing rate.
        with self._checking:
            wait = self.wait_seconds()
            if wait > 0:
                return Unlock(False, wait, self.failures)
            ok = self._verify(passphrase)
            with self._lock:
                if ok:
                    self.failures = 0
                    self._locked_until = 0.0
                    return Unlock(True)
                self.failures += 1
                if self.failures >= FREE_ATTEMPTS:
                    delay = min(MAX_DELAY, FIRST_DELAY * 2 ** (self.failures - FREE_ATTEMPTS))
                    self._locked_until = self.clock() + delay
                    return Unlock(False, delay, self.failures)
                return Unlock(False, 0.0, self.failures)


def file_slug(name: str, limit: int = 40) -> str:
    """A candidate name as a safe file-name part: 'Ada Lovelace' -> 'ada-lovelace'."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:limit].strip("-")
    return slug or "candidate"
