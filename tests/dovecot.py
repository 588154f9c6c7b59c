"""A real Dovecot IMAP server for the e-mail tests, with everything in a temporary directory.

``Dovecot`` runs Debian's ``/usr/sbin/dovecot`` in the foreground, as a subprocess, with its
config, sockets, passwd-file users, maildirs and log in one directory, and IMAP on a free port
of 127.0.0.1. The fixtures are in tests/mailservers.py.
"""

from __future__ import annotations

import email.policy
import grp
import imaplib
import math
import os
import pwd
import re
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Self

from tests.server_process import Startable

DOVECOT = os.environ.get("TANDEM_TEST_DOVECOT", "/usr/sbin/dovecot")
DEFAULT_PASSWORD = "mailbox-password"
STARTUP_SECONDS = 30.0
IMAP_TIMEOUT_SECONDS = 30.0
# Debian's dovecot-core creates dovecot and dovenull; base-passwd has mail. Login processes
# refuse to run as root and mail processes refuse root's mail, though the tests run as root.
INTERNAL_USER = "dovecot"
LOGIN_USER = "dovenull"
MAIL_USER = "mail"
_ADDRESS = re.compile(r"[a-z0-9][a-z0-9._%+-]*@[a-z0-9][a-z0-9.-]*")


class MailServerError(RuntimeError):
    """A test mail server did not start or did not do what was asked."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def parse_message(raw: bytes) -> EmailMessage:
    return BytesParser(policy=email.policy.default).parsebytes(raw)


class Dovecot(Startable):
    """A Dovecot IMAP server with passwd-file users and maildirs, until ``stop``.

    Users are ``name@domain`` addresses (stored lower-case, as Dovecot looks them up) with
    plain-text passwords; ``add_user`` works while the server runs.
    """

    host = "127.0.0.1"

    def __init__(self, *, binary: str = DOVECOT) -> None:
        self.binary = binary
        self.port = free_port()
        self._root = Path(tempfile.mkdtemp(prefix="tandem-dovecot-"))
        self._users: dict[str, str] = {}
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None

    def start(self, *, timeout: float = STARTUP_SECONDS) -> Self:
        """Start Dovecot and return once it greets IMAP clients."""
        try:
            self._prepare()
            with (self._root / "dovecot.out").open("wb") as output:
                self._process = subprocess.Popen(
                    [self.binary, "-F", "-c", str(self._root / "dovecot.conf")],
                    stdout=output,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            self._wait_for_greeting(self._process, timeout)
        except BaseException:
            self._halt()  # keeps the directory, named in the error, for a look at the log
            raise
        return self

    def stop(self) -> None:
        """Stop Dovecot and its processes, and remove its directory."""
        self._halt()
        shutil.rmtree(self._root, ignore_errors=True)

    def add_user(self, address: str, password: str = DEFAULT_PASSWORD) -> None:
        """Create a mailbox user, or change its password, so the next login sees it."""
        self._add_user(address, password, replace=True)

    def ensure_user(self, address: str) -> None:
        """Create the user with the default password unless it exists."""
        self._add_user(address, DEFAULT_PASSWORD, replace=False)

    def password(self, address: str) -> str:
        """The user's password, for an IMAP client under test."""
        key = _checked_address(address)
        with self._lock:
            if key not in self._users:
                raise MailServerError(f"{address} is no Dovecot user: add_user() it first")
            return self._users[key]

    def append(
        self, address: str, raw: bytes, *, mailbox: str = "INBOX", flags: Iterable[str] = ()
    ) -> None:
        """Store a message in a mailbox of the user (created if missing), as IMAP APPEND."""
        with self._session(address) as imap:
            if mailbox.upper() != "INBOX":
                imap.create(_quoted(mailbox))  # "NO [ALREADYEXISTS]" when it exists
            wanted = " ".join(flags)
            status, data = imap.append(
                _quoted(mailbox), f"({wanted})" if wanted else None, None, raw
            )
            _check(status, data, f"APPEND to {mailbox} of {address}")

    def messages(self, address: str, *, mailbox: str = "INBOX") -> list[EmailMessage]:
        """The messages of a mailbox in order, read without marking them seen."""
        return [parse_message(raw) for _, raw in self._fetch(address, mailbox)]

    def flags(self, address: str, *, mailbox: str = "INBOX") -> list[frozenset[str]]:
        """The flags of each message of a mailbox (as ``messages``), such as ``\\Seen``.

        ``\\Recent`` is left out: it depends on which IMAP session looked first.
        """
        return [flags - {"\\Recent"} for flags, _ in self._fetch(address, mailbox)]

    def clear(self, address: str, *, mailbox: str = "INBOX") -> None:
        """Delete every message of a mailbox."""
        with self._session(address) as imap:
            status, data = imap.select(_quoted(mailbox))
            _check(status, data, f"SELECT {mailbox} of {address}")
            if data[0] != b"0":
                _check(*imap.store("1:*", "+FLAGS.SILENT", "(\\Deleted)"), "STORE \\Deleted")
                _check(*imap.expunge(), "EXPUNGE")

    def log_tail(self, lines: int = 40) -> str:
        texts = []
        for name in ("dovecot.out", "dovecot.log"):
            path = self._root / name
            if path.exists():
                texts += path.read_text(errors="replace").splitlines()[-lines:]
        return "\n".join(texts)

    def _halt(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)  # its own group: start_new_session
                process.wait()

    def _wait_for_greeting(self, process: subprocess.Popen[bytes], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not _greets(self.host, self.port):
            if process.poll() is not None:
                raise MailServerError(f"Dovecot exited ({process.returncode})" + self._tail())
            if time.monotonic() > deadline:
                raise MailServerError(f"Dovecot did not greet within {timeout} s" + self._tail())
            time.sleep(0.1)

    def _tail(self) -> str:
        return f"; the end of its output and log ({self._root}):\n{self.log_tail()}"

    def _prepare(self) -> None:
        try:
            mail = pwd.getpwnam(MAIL_USER)
            internal_group = grp.getgrnam(INTERNAL_USER).gr_gid
            pwd.getpwnam(LOGIN_USER)
        except KeyError as error:
            raise MailServerError(
                f"Dovecot's system user {error} is missing: install Debian's dovecot-core"
            ) from error
        # Dovecot's unprivileged processes walk through this directory but cannot list it.
        closed = [path for path in self._root.parents if not path.stat().st_mode & stat.S_IXOTH]
        if closed:
            raise MailServerError(
                f"Dovecot's mail processes cannot pass {closed[0]}: set TMPDIR to one they can"
            )
        self._root.chmod(0o711)
        users = self._root / "users"
        users.mkdir()
        os.chown(users, -1, internal_group)
        users.chmod(0o750)
        mail_dir = self._root / "mail"
        mail_dir.mkdir(mode=0o700)
        os.chown(mail_dir, mail.pw_uid, mail.pw_gid)
        (self._root / "state").mkdir()
        (self._root / "dovecot.conf").write_text(_config(self._root, self.port))

    def _add_user(self, address: str, password: str, *, replace: bool) -> None:
        address = _checked_address(address)
        if any(character in password for character in ":\r\n"):
            raise ValueError("a passwd-file password cannot hold ':' or a line break")
        with self._lock:
            previous = self._users.get(address)
            if previous == password or (previous is not None and not replace):
                return
            self._write_user(address, password, replacing=previous is not None)
            self._users[address] = password
        if previous is not None:
            # Dovecot stats a passwd-file at most once a second: from the next second on,
            # every login reads the new password.
            time.sleep(1.0 - time.time() % 1.0 + 0.01)

    def _write_user(self, address: str, password: str, *, replacing: bool) -> None:
        path = self._root / "users" / address
        previous = path.stat().st_mtime if replacing else 0.0
        draft = path.with_name(f".{address}.draft")
        # Empty uid and gid: mail_uid and mail_gid apply.
        draft.write_text(f"{address}:{{PLAIN}}{password}::::::\n")
        draft.replace(path)  # Dovecot never reads half a file
        if replacing:
            # Dovecot rereads a file whose mtime (in seconds) or size changed.
            stamp = max(time.time(), math.floor(previous) + 1.0)
            os.utime(path, (stamp, stamp))

    @contextmanager
    def _session(self, address: str) -> Iterator[imaplib.IMAP4]:
        password = self.password(address)
        with imaplib.IMAP4(self.host, self.port, timeout=IMAP_TIMEOUT_SECONDS) as imap:
            imap.login(address, password)
            yield imap

    def _fetch(self, address: str, mailbox: str) -> list[tuple[frozenset[str], bytes]]:
        with self._session(address) as imap:
            status, counts = imap.select(_quoted(mailbox), readonly=True)
            _check(status, counts, f"EXAMINE {mailbox} of {address}")
            if counts[0] == b"0":
                return []
            status, items = imap.fetch("1:*", "(FLAGS BODY.PEEK[])")
            _check(status, items, f"FETCH from {mailbox} of {address}")
        found: list[tuple[frozenset[str], bytes]] = []
        for item in items:
            if isinstance(item, tuple):  # (b'1 (FLAGS (\\Seen) BODY[] {42}', message)
                flags = frozenset(flag.decode() for flag in imaplib.ParseFlags(item[0]))
                found.append((flags, item[1]))
        return found


def _config(root: Path, port: int) -> str:
    return f"""\
# A throwaway Dovecot for tests/mailservers.py: IMAP on 127.0.0.1, everything under {root}.
instance_name = tandem-dovecot-{port}
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_verbose = yes
auth_failure_delay = 0
default_internal_user = {INTERNAL_USER}
default_internal_group = {INTERNAL_USER}
default_login_user = {LOGIN_USER}
mail_uid = {MAIL_USER}
mail_gid = {MAIL_USER}
first_valid_uid = 1
first_valid_gid = 1
mail_location = maildir:{root}/mail/%d/%n
# One passwd-file per user: Dovecot finds a new user's file at once.
passdb {{
  driver = passwd-file
  args = {root}/users/%u
}}
userdb {{
  driver = passwd-file
  args = {root}/users/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
# The auth process (not root) cannot open this socket, which turns the auth penalty off: a
# wrong password would otherwise delay the next login from 127.0.0.1 by seconds.
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
"""


def _greets(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2) as sock:
            return sock.recv(1024).startswith(b"* OK")
    except OSError:
        return False


def _checked_address(address: str) -> str:
    normal = address.strip().lower()
    if not _ADDRESS.fullmatch(normal):
        raise ValueError(f"not a plain name@domain address: {address!r}")
    return normal


def _quoted(mailbox: str) -> str:
    return '"' + mailbox.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _check(status: str, data: object, action: str) -> None:
    if status != "OK":
        raise MailServerError(f"{action} failed: {status} {data!r}")
