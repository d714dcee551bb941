"""Helpers shared by the notification, outbox and task tests."""


def recipients(mailbox) -> list[str]:
    return sorted(address for message in mailbox for address in message.to)


def subjects(mailbox) -> list[str]:
    return [message.subject for message in mailbox]
