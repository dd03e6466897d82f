"""Development email: every message is kept as a file under var/mail/ and shown on the console,
so a developer can follow verification and reset links without a mail server."""

import sys

from django.core.mail.backends.filebased import EmailBackend as FileBackend


class DevelopmentEmailBackend(FileBackend):
    def send_messages(self, email_messages):
        sent = super().send_messages(email_messages)
        for message in email_messages:
            sys.stdout.write(f"{message.message().as_string()}\n{'-' * 79}\n")
        sys.stdout.flush()
        return sent
