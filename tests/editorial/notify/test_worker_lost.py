"""A worker killed in the middle of a delivery: the task is redelivered to
another worker (acks_late, reject_on_worker_lost, a short visibility timeout)
and the e-mail goes out exactly once."""

import re
import time

import pytest

from editorial.models import NotificationDelivery, OutboxMessage
from tests.support.maildir import sent
from tests.support.workers import SubprocessWorker, wait_for

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("purged_queue"),
]


@pytest.fixture
def worker_env(tmp_path):
    maildir = tmp_path / "mail"
    maildir.mkdir()
    return {
        "EMAIL_BACKEND": "tests.support.maildir.MaildirBackend",
        "VETTED_TEST_MAILDIR": str(maildir),
        "VETTED_TEST_MAIL_STALL": str(tmp_path / "stalled-in"),
        # Redeliver an unacknowledged task after 3 s, looked for every second.
        "CELERY_VISIBILITY_TIMEOUT": "3",
        "CELERY_UNACKED_RESTORE_INTERVAL": "1",
        "CELERY_UNACKED_RESTORE_THROTTLE": "1",
        # The dead worker's claim on the e-mail expires after 2 s.
        "NOTIFICATION_SEND_LEASE_SECONDS": "2",
    }


def test_a_delivery_interrupted_by_a_killed_worker_is_redone_by_another_and_sent_once(
    submit, board_member, worker_env, tmp_path
):
    first = SubprocessWorker("first", tmp_path, worker_env)
    second = None
    try:
        first.wait_ready()
        answer = submit()
        stalled = tmp_path / "stalled-in"
        wait_for(stalled.exists, timeout=60, what="the first worker to start sending")
        assert int(stalled.read_text()) == first.process.pid
        first.kill()  # SIGKILL mid-task: the message is never acknowledged

        message = OutboxMessage.objects.get(answer=answer)
        assert NotificationDelivery.objects.get(message=message).sent_at is None
        assert message.done_at is None

        second = SubprocessWorker("second", tmp_path, worker_env)
        maildir = tmp_path / "mail"
        wait_for(lambda: sent(maildir), timeout=90, what="the second worker to send the e-mail")
        wait_for(lambda: OutboxMessage.objects.get(pk=message.pk).done_at, what="the message marked done")
        time.sleep(4)  # past another visibility timeout: no second redelivery sends again
    finally:
        for worker in (first, second):
            if worker is not None:
                worker.stop()

    assert sent(maildir) == ["maya@example.org"]
    task_id = re.search(r"deliver_outbox\[([0-9a-f-]+)\] received", (tmp_path / "first.log").read_text())[1]
    assert f"deliver_outbox[{task_id}] succeeded" in (tmp_path / "second.log").read_text()  # the same task, redelivered
