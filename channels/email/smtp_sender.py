"""Sending replies over SMTP (SSL, STARTTLS or plain), a copy kept in the Sent folder; and,
after a crash between sending and recording, looking for our Message-ID there first."""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage

from imapclient.exceptions import IMAPClientError

from channels.email.account import MailAccount
from channels.email.compose import compose, message_id_for
from channels.email.imap import connect
from triage.domain.outbox import OutboxItem
from triage.ports import SendError, SendResult
from triage.texts.catalog import text as catalog_text

log = logging.getLogger(__name__)


@dataclass
class SmtpSender:
    account: MailAccount
    office_name: str
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)

    def message(self, item: OutboxItem) -> EmailMessage:
        default = catalog_text("email.no_subject", self.account.language, office=self.office_name)  # type: ignore[arg-type]
        return compose(
            key=item.idempotency_key,
            to=item.recipient,
            body=item.text,
            from_address=self.account.from_address,
            from_name=self.account.from_name,
            options=dict(item.options),
            default_subject=default,
            now=self.clock(),
            discreet_subject=catalog_text("email.discreet_subject", self.account.language),  # type: ignore[arg-type]
        )

    def send(self, item: OutboxItem) -> SendResult:
        try:
            msg = self.message(item)
        except ValueError as exc:  # e.g. a line break in the address: never sendable
            raise SendError(f"not a valid mail ({type(exc).__name__})", transient=False) from None
        try:
            with self._smtp() as smtp:
                if self.account.username:
                    _login(smtp, self.account)
                smtp.send_message(msg)
        except smtplib.SMTPAuthenticationError:
            # Our credentials, not this reply: it waits (uncounted) until the office fixes them.
            log.error("SMTP menolak login: perbaiki [email] username dan password (sandi aplikasi)")
            raise SendError("SMTP login refused", transient=True, counts=False, down=True) from None
        except smtplib.SMTPRecipientsRefused as exc:
            # 4xx: try later, not counted (greylisting, a full mailbox); 5xx: refused for good
            temporary = _temporary(exc)
            raise SendError(
                "recipient refused", transient=temporary, counts=not temporary, down=False
            ) from None
        except smtplib.SMTPConnectError as exc:  # refused at the greeting: the server's state
            raise SendError(
                f"SMTP {exc.smtp_code} at connect", transient=True, counts=exc.smtp_code >= 500
            ) from None
        except smtplib.SMTPResponseException as exc:
            temporary = exc.smtp_code < 500
            raise SendError(
                f"SMTP {exc.smtp_code}", transient=temporary, counts=not temporary
            ) from None
        except ssl.SSLError as exc:
            # A certificate or TLS mismatch is configuration: counted, so it ends as failed
            # and staff see it, instead of waiting for ever.
            log.error("TLS dengan server SMTP gagal: periksa [email] smtp_security dan smtp_port")
            raise SendError(type(exc).__name__, transient=True) from None
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            # The server could not be reached: nothing was refused, the item waits its turn.
            raise SendError(type(exc).__name__, transient=True, counts=False) from None
        except smtplib.SMTPException as exc:
            raise SendError(type(exc).__name__, transient=True) from None
        self._keep_copy(msg)
        return SendResult(str(msg["Message-ID"]))

    def already_sent(self, item: OutboxItem) -> SendResult | None:
        """Our Message-ID in the Sent folder means the earlier try went out."""
        if not self.account.sent_folder:
            return None
        discreet = bool(item.options.get("discreet"))
        wanted = message_id_for(item.idempotency_key, self.account.from_address, discreet=discreet)
        try:
            client = connect(self.account)
            try:
                client.select_folder(self.account.sent_folder, readonly=True)
                found = client.search(["HEADER", "Message-ID", wanted])
            finally:
                client.logout()
        except (IMAPClientError, OSError) as exc:
            log.warning("folder Sent tidak bisa diperiksa (%s)", type(exc).__name__)
            return None
        return SendResult(wanted) if found else None

    def _smtp(self) -> smtplib.SMTP:
        a = self.account
        timeout = a.timeout_seconds
        if a.smtp_security == "ssl":
            return smtplib.SMTP_SSL(
                a.smtp_host, a.smtp_port, timeout=timeout, context=ssl.create_default_context()
            )
        smtp = smtplib.SMTP(a.smtp_host, a.smtp_port, timeout=timeout)
        if a.smtp_security == "starttls":
            smtp.starttls(context=ssl.create_default_context())
        return smtp

    def _keep_copy(self, msg: EmailMessage) -> None:
        """A copy in the Sent folder, so the office sees the reply in its mail client and a
        crash-restart can find it (best effort: the reply itself has gone out)."""
        if not self.account.sent_folder:
            return
        try:
            client = connect(self.account)
            try:
                if not client.folder_exists(self.account.sent_folder):
                    client.create_folder(self.account.sent_folder)
                client.append(self.account.sent_folder, msg.as_bytes(), flags=[b"\\Seen"])
            finally:
                client.logout()
        except (IMAPClientError, OSError) as exc:
            log.warning(
                "surel terkirim, tetapi salinannya tidak tersimpan di folder Sent (%s)",
                type(exc).__name__,
            )


def _login(smtp: smtplib.SMTP, account: MailAccount) -> None:
    smtp.ehlo_or_helo_if_needed()
    if smtp.has_extn("auth"):
        smtp.login(account.username, account.password)


def _temporary(exc: smtplib.SMTPRecipientsRefused) -> bool:
    codes = [code for code, _ in exc.recipients.values()]
    return bool(codes) and all(400 <= code < 500 for code in codes)
