"""A Dovecot IMAP server of a test's own (Debian's dovecot-imapd): its config file, its user
database (a passwd-file) and its mail under the test's tmp path, on a free port of this
worker's range, started as the test's own process and stopped after it."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import textwrap
from email.message import EmailMessage
from pathlib import Path

from imap_tools import MailBoxUnencrypted

from tests.environment import free_port
from tests.reminders.test_worker import cpu_progress, wait_until

USER, PASSWORD = "uppdrag", "hemligt-imap"


def _mail_owner() -> tuple[int, int]:
    """Dovecot never keeps mail as root: as root, the mail belongs to its own system user."""
    if os.getuid() != 0:
        return os.getuid(), os.getgid()
    dovecot = pwd.getpwnam("dovecot")
    return dovecot.pw_uid, dovecot.pw_gid


class Dovecot:
    def __init__(self):
        # Not under pytest's tmp_path, which only root may enter: Dovecot's processes run as
        # its own users and must reach their folders.
        folder = self.folder = Path(tempfile.mkdtemp(prefix="uppdrag-dovecot-"))
        folder.chmod(0o755)
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        uid, gid = _mail_owner()
        for name in ("run", "state", "mail"):
            (folder / name).mkdir()
        os.chown(folder / "mail", uid, gid)
        (folder / "users").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
        self.config = folder / "dovecot.conf"
        self.config.write_text(
            textwrap.dedent(
                f"""\
                base_dir = {folder}/run
                state_dir = {folder}/state
                instance_name = uppdrag-test-{self.port}
                log_path = {folder}/dovecot.log
                protocols = imap
                listen = 127.0.0.1
                ssl = no
                disable_plaintext_auth = no
                auth_mechanisms = plain login
                first_valid_uid = {uid}
                mail_location = maildir:{folder}/mail/%u
                mail_uid = {uid}
                mail_gid = {gid}
                service imap-login {{
                  inet_listener imap {{
                    address = 127.0.0.1
                    port = {self.port}
                  }}
                  inet_listener imaps {{
                    port = 0
                  }}
                }}
                passdb {{
                  driver = passwd-file
                  args = scheme=PLAIN {folder}/users
                }}
                userdb {{
                  driver = static
                  args = uid={uid} gid={gid} home={folder}/mail/%u
                }}
                """
            )
        )

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                return sock.recv(100).startswith(b"* OK")
        except OSError:
            return False

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["/usr/sbin/dovecot", "-F", "-c", str(self.config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self.answers, progress=cpu_progress(self.process.pid), what="dovecot up")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        shutil.rmtree(self.folder, ignore_errors=True)

    def box(self):
        return MailBoxUnencrypted("127.0.0.1", self.port).login(USER, PASSWORD)

    def deliver(self, *messages: EmailMessage) -> None:
        """Put mails into the inbox as the mail server's delivery would."""
        with self.box() as box:
            for message in messages:
                box.append(message.as_bytes(), "INBOX")

    def count(self, folder: str) -> int:
        with self.box() as box:
            if not box.folder.exists(folder):
                return 0
            box.folder.set(folder)
            return len(list(box.uids()))
