"""Django's SMTP backend, sending a NoticeEmail as the bytes it was built as."""

from django.core.mail.backends import smtp

from .mime import NoticeEmail


class EmailBackend(smtp.EmailBackend):
    def _send(self, email_message) -> bool:
        if not isinstance(email_message, NoticeEmail):
            return super()._send(email_message)
        sender = self.prep_address(email_message.from_email)
        recipients = [self.prep_address(address) for address in email_message.recipients()]
        self.connection.sendmail(sender, recipients, email_message.raw)
        return True
