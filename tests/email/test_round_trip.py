"""Email end to end against a real Dovecot and an SMTP server: a client's mail reaches the inbox
once, the admin's reply goes out threaded, the client's answer joins the conversation."""

from __future__ import annotations

import email
from datetime import UTC, datetime, timedelta

from bot.service import loops as service
from tests.builders import ADMIN
from tests.email.mailbox import append, build_app, client_mail, imap
from triage.domain.model import Channel, Outcome, State
from triage.usecases import casework, inbox
from triage.usecases.replies import reply_to_client


def test_client_mail_reply_and_answer_make_one_threaded_conversation(tmp_path, dovecot, smtp_sink):
    app = build_app(tmp_path, dovecot, smtp_sink)
    first = client_mail(
        "Selamat pagi, saya ingin konsultasi tentang anak saya yang berusia 15 tahun."
    )
    append(app, first)
    assert service.poll_all(app) == {app.sources[0].cursor_key: 1}
    assert service.poll_all(app) == {app.sources[0].cursor_key: 0}  # the cursor moved with it
    (view,) = inbox.snapshot(app.uows)
    (message,) = view.messages
    assert message.channel is Channel.EMAIL and message.subject == "Konsultasi anak"
    assert "anak saya yang berusia 15 tahun" in message.text
    assert [a.filename for a in message.attachments] == ["pesan-asli.eml"]  # the original kept

    client = imap(app)
    client.select_folder("INBOX", readonly=True)
    assert b"\\Seen" not in client.get_flags(client.search("ALL"))[1]  # not marked read
    client.logout()

    reply_to_client(
        view.conversation.id,
        "Terima kasih, Ibu. Konselor kami siap membantu.",
        actor=ADMIN,
        idempotency_key="tg:1",
        uow_factory=app.uows,
        now=datetime.now(UTC),
    )
    assert service.dispatch(app).sent == 1
    (sent,) = smtp_sink.received
    original_id = email.message_from_bytes(first)["Message-ID"]
    assert message.external_id.startswith(original_id + "#")  # with a digest of the sender
    assert sent["To"] == "siti@example.com" and sent["Subject"] == "Re: Konsultasi anak"
    assert sent["In-Reply-To"] == original_id and original_id in sent["References"]
    assert sent["Auto-Submitted"] is None  # a person's reply
    assert "Konselor kami siap membantu" in sent.get_content()
    assert "PUSPAGA Kota Contoh" in sent["From"]

    client = imap(app)
    client.select_folder("Sent", readonly=True)
    assert len(client.search(["HEADER", "Message-ID", sent["Message-ID"]])) == 1  # a copy kept
    client.logout()

    # Closed long ago (beyond the reopen window), she answers our mail: that conversation
    # reopens, with the quoted history hidden.
    conv_id = view.conversation.id
    casework.close(
        conv_id,
        Outcome.TUNTAS,
        actor=ADMIN,
        uow_factory=app.uows,
        now=datetime.now(UTC) - timedelta(days=30),
    )
    answer = client_mail(
        "Baik, terima kasih. Kapan saya bisa datang?\n\n"
        "Pada Sen, 23 Nov 2026 pukul 10.15 PUSPAGA <puspaga@kota.example> menulis:\n"
        "> Terima kasih, Ibu. Konselor kami siap membantu.\n",
        subject="Re: Konsultasi anak",
        in_reply_to=sent["Message-ID"],
    )
    # Someone she copied in answers too, naming our Message-ID: never joined to her case.
    stranger = client_mail(
        "Saya suaminya. Jangan ikut campur.",
        sender="orang.lain@example.net",
        name="Orang Lain",
        subject="Re: Konsultasi anak",
        in_reply_to=sent["Message-ID"],
    )
    append(app, answer)
    append(app, stranger)
    service.poll_all(app)
    views = {v.client_name: v for v in inbox.snapshot(app.uows)}
    siti = views["Siti Contoh"]
    assert siti.conversation.id == conv_id and siti.conversation.state is not State.CLOSED
    texts = [m.text for m in siti.messages]
    assert len(texts) == 3 and "Baik, terima kasih. Kapan saya bisa datang?" in texts
    assert not any("Jangan ikut campur" in t for t in texts)
    other = views["Orang Lain"]
    assert other.conversation.id != conv_id and len(other.messages) == 1
    with app.uows() as uow:  # replies to Siti still go to Siti
        contact = uow.contacts.get(uow.conversations.get(conv_id).reply_contact_id)
        assert contact.external_id == "siti@example.com"


def test_automatic_mail_is_kept_marked_and_never_answered_automatically(
    tmp_path, dovecot, smtp_sink
):
    app = build_app(tmp_path, dovecot, smtp_sink)
    append(
        app,
        client_mail(
            "Saya sedang cuti sampai 1 Desember.",
            sender="budi@example.com",
            subject="Balasan otomatis: Konsultasi",
            headers={"Auto-Submitted": "auto-replied"},
        ),
    )
    service.poll_all(app)
    (view,) = inbox.snapshot(app.uows)
    (message,) = view.messages
    assert message.auto_generated and "email otomatis" in message.text
    assert service.dispatch(app).sent == 0 and smtp_sink.received == []


def test_a_renumbered_folder_is_read_again_without_doubles(tmp_path, dovecot, smtp_sink):
    app = build_app(tmp_path, dovecot, smtp_sink, folder="Klien")
    mails = [client_mail(f"Pesan nomor {n}", sender=f"k{n}@example.com") for n in range(3)]
    for raw in mails[:2]:
        append(app, raw, "Klien")
    service.poll_all(app)
    client = imap(app)
    before = client.select_folder("Klien")[b"UIDVALIDITY"]
    client.close_folder()
    client.delete_folder("Klien")  # the server renumbers: a new UIDVALIDITY, UIDs from 1
    client.create_folder("Klien")
    for raw in mails:
        client.append("Klien", raw)
    # a months-old mail the server renumbered above the others: history, not new mail
    old = client_mail("Pesan lama sekali", sender="lama@example.com")
    client.append("Klien", old, msg_time=datetime.now(UTC) - timedelta(days=90))
    assert client.select_folder("Klien")[b"UIDVALIDITY"] != before
    client.logout()
    assert service.poll_all(app) == {app.sources[0].cursor_key: 3}  # read again …
    texts = sorted(m.text for v in inbox.snapshot(app.uows) for m in v.messages)
    assert texts == ["Pesan nomor 0", "Pesan nomor 1", "Pesan nomor 2"]  # … stored once
    assert service.poll_all(app) == {app.sources[0].cursor_key: 0}  # the old one stays out
    append(app, client_mail("Pesan baru", sender="baru@example.com"), "Klien")
    assert service.poll_all(app) == {app.sources[0].cursor_key: 1}


def test_a_crash_after_sending_finds_the_reply_in_sent_and_does_not_send_again(
    tmp_path, dovecot, smtp_sink
):
    app = build_app(tmp_path, dovecot, smtp_sink)
    append(app, client_mail("Halo, saya butuh bantuan."))
    service.poll_all(app)
    (view,) = inbox.snapshot(app.uows)
    reply_to_client(
        view.conversation.id,
        "Halo, kami di sini.",
        actor=ADMIN,
        idempotency_key="tg:2",
        uow_factory=app.uows,
        now=datetime.now(UTC),
    )
    sender = app.senders[next(iter(app.senders))]
    with app.uows() as uow:
        (item,) = uow.outbox.for_conversation(view.conversation.id)
    assert sender.already_sent(item) is None  # not yet
    first = sender.send(item)  # sent, then "the process died" before recording it
    found = sender.already_sent(item)
    assert found is not None and found.remote_id == first.remote_id
    with app.uows() as uow:  # the dead dispatcher's claim, its lease already run out
        now = datetime.now(UTC)
        (claimed,) = uow.outbox.claim_due(now, 1, lease_until=now)
        uow.commit()
    assert claimed.id == item.id
    assert service.dispatch(app).sent == 1  # recorded as sent …
    assert len(smtp_sink.received) == 1  # … without sending it again
    with app.uows() as uow:
        assert uow.outbox.get(item.id).remote_id == first.remote_id
