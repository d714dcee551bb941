"""An e-mail backend for worker subprocesses: one file per message in
$VETTED_TEST_MAILDIR, so the test counts e-mails across processes.

With $VETTED_TEST_MAIL_STALL set to a path that does not exist yet, the first
send writes the worker's pid there and then hangs, so the test can kill the
worker in the middle of the task.
"""

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class MaildirBackend(BaseEmailBackend):
    def send_messages(self, messages):
        stall = os.environ.get("VETTED_TEST_MAIL_STALL")
        if stall and not Path(stall).exists():
            # Written whole, then renamed: the test waits for the file and reads the pid at once.
            Path(f"{stall}.tmp").write_text(str(os.getpid()))
            os.replace(f"{stall}.tmp", stall)
            time.sleep(600)
        directory = Path(os.environ["VETTED_TEST_MAILDIR"])
        for message in messages:
            (directory / f"{uuid.uuid4().hex}.eml").write_bytes(message.message().as_bytes())
        return len(messages)


def sent(directory: Path) -> list[str]:
    """The recipients of every e-mail in the directory."""
    from email import message_from_bytes

    return sorted(message_from_bytes(path.read_bytes())["To"] for path in directory.glob("*.eml"))
