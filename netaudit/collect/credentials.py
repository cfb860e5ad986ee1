"""Device credentials: from environment variables or an OS keyring entry the inventory names.

Never from the command line (it shows in ``ps`` and shell history) and never from the inventory
(it gets committed). The inventory only *names* a credential set:

* ``data.credentials: NAME`` → ``NETAUDIT_<NAME>_USERNAME``, ``NETAUDIT_<NAME>_PASSWORD`` and the
  optional enable secret ``NETAUDIT_<NAME>_SECRET`` (NAME upper-cased, other characters → ``_``);
  without it, ``NETAUDIT_USERNAME`` / ``NETAUDIT_PASSWORD`` / ``NETAUDIT_SECRET``;
* ``data.keyring: SERVICE`` → the password is ``keyring.get_password(SERVICE, username)`` and the
  enable secret, if stored, ``keyring.get_password(SERVICE, username + ":enable")``.

The username comes from the inventory's ``username`` (not a secret; Nornir users keep it there)
or the ``..._USERNAME`` variable.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from netaudit.collect.inventory import Target


class CredentialsMissing(Exception):
    """No usable credentials for a device: that device fails, the others go on."""


@dataclass(frozen=True)
class Credentials:
    """The password and enable secret are left out of ``repr`` so no log or traceback shows them."""

    username: str
    password: str = field(repr=False)
    secret: str = field(default="", repr=False)

    def scrub(self, text: str) -> str:
        """``text`` with the password and secret masked: library error messages are printed."""
        for value in (self.password, self.secret):
            if not value:
                continue
            for form in {value, repr(value)[1:-1], value.encode("unicode_escape").decode("ascii")}:
                if len(form) >= 3 or form == value:
                    text = text.replace(form, "<masked>")  # as given, and as a repr() or escape shows it
        return text


def env_prefix(name: str | None) -> str:
    """``NETAUDIT_`` or ``NETAUDIT_<NAME>_`` for a credential set name."""
    if not name or str(name).lower() == "default":
        return "NETAUDIT_"
    return "NETAUDIT_" + re.sub(r"[^A-Z0-9]", "_", str(name).upper()) + "_"


def resolve(target: Target, environ: Mapping[str, str] | None = None) -> Credentials:
    """The credentials for ``target``; raises ``CredentialsMissing`` saying which variable to set."""
    env = os.environ if environ is None else environ
    prefix = env_prefix(target.data.get("credentials"))
    username = target.username or env.get(prefix + "USERNAME")
    if not username:
        raise CredentialsMissing(f"no username: set 'username' in the inventory or {prefix}USERNAME")
    service = target.data.get("keyring")
    if service:
        return _from_keyring(str(service), username)
    password = env.get(prefix + "PASSWORD")
    if not password:
        raise CredentialsMissing(f"no password: set {prefix}PASSWORD (or name a keyring entry with data.keyring)")
    return Credentials(username, password, env.get(prefix + "SECRET", ""))


def _from_keyring(service: str, username: str) -> Credentials:
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:
        raise CredentialsMissing("data.keyring is set but the keyring package is not installed (pip install 'netaudit[collect]')") from None
    try:
        password = keyring.get_password(service, username)
        secret = keyring.get_password(service, f"{username}:enable") or ""
    except KeyringError as error:
        raise CredentialsMissing(f"keyring {service!r}: {type(error).__name__}") from None
    if not password:
        raise CredentialsMissing(f"keyring has no password for service {service!r}, user {username!r}")
    return Credentials(username, password, secret)
