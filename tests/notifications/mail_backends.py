"""E-mail backends for the notification tests (also loaded by real worker subprocesses)."""

import os
import smtplib
import time
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.filebased import EmailBackend as FileBasedBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class FailingBackend(BaseEmailBackend):
    """A mail server that cannot be reached."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server at 127.0.0.1:25 refused the connection")


class RejectingBackend(BaseEmailBackend):
    """A mail server that refuses the recipient for good (5xx)."""

    def send_messages(self, email_messages):
        recipients = {address: (550, b"5.1.1 no such mailbox")
                      for message in email_messages for address in message.to}
        raise smtplib.SMTPRecipientsRefused(recipients)


class SlowLocmemBackend(LocmemBackend):
    """Locmem, but a send takes a while, so that concurrent relay runs overlap."""

    def send_messages(self, email_messages):
        time.sleep(0.3)
        return super().send_messages(email_messages)


class SlowFileBackend(FileBasedBackend):
    """Django's file-based backend writing to $PORTAL_TEST_MAIL_DIR; before writing it leaves a
    marker file and sleeps $PORTAL_TEST_MAIL_DELAY seconds, so a test can kill it mid-send."""

    def __init__(self, *args, **kwargs):
        self.mail_dir = Path(os.environ["PORTAL_TEST_MAIL_DIR"])
        kwargs["file_path"] = str(self.mail_dir)
        super().__init__(*args, **kwargs)

    def send_messages(self, email_messages):
        (self.mail_dir / f"sending-{os.getpid()}-{time.time_ns()}.marker").touch()
        time.sleep(float(os.environ.get("PORTAL_TEST_MAIL_DELAY", "0")))
        return super().send_messages(email_messages)
