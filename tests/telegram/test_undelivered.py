"""A message that cannot be delivered is not only a log line: the client blocked the bot, the
admin's reply fails for good (403), the topic and (the case being urgent) the head are told why
in Indonesian with a button; the client unblocks, an admin taps it, and the reply arrives. A
counselor who may not see the case cannot resend; a second tap does nothing twice."""

from __future__ import annotations

from tests.support.office import ADMIN, CLIENT, CLIENT_2, GROUP, HEAD, MADE
from tests.support.telegram_office import running_office
from triage.domain.model import State
from triage.domain.outbox import OutboxStatus

REPLY = "Ibu, petugas kami segera menghubungi Ibu."


def the_reply(office):
    with office.app.uows() as uow:
        return [i for i in uow.outbox.for_conversation(1) if i.recipient == str(CLIENT)][-1]


def test_a_reply_that_fails_for_good_is_announced_and_sent_again_by_a_tap(tmp_path):
    with running_office(tmp_path) as office:
        state, app = office.state, office.app
        state.user_writes(CLIENT, text="tolong suami saya memukul saya sekarang, saya takut")
        topic = office.topic_of(1)
        office.wait_for_post(CLIENT, "tidak sendiri")  # the crisis reply went out before the block
        state.blocked.add(CLIENT)
        state.user_writes(ADMIN, GROUP, REPLY, thread_id=topic)
        notice = office.wait_for_post(GROUP, "Tidak terkirim", topic)
        assert "memblokir bot" in notice["text"] and REPLY in notice["text"]
        assert "blocked" in notice["text"]  # the sender's own words, for whoever fixes it
        told_head = office.wait_for_post(HEAD, "Tidak terkirim")  # urgent: the head hears too
        [[button]] = notice["reply_markup"]["inline_keyboard"]
        assert told_head["reply_markup"]["inline_keyboard"] == [[button]]
        assert the_reply(office).status is OutboxStatus.FAILED

        state.user_presses(MADE, notice, button["callback_data"])  # not assigned to the case
        office.wait(lambda: "tidak berwenang" in " ".join(office.answers()), "the refusal")
        assert the_reply(office).status is OutboxStatus.FAILED

        state.blocked.discard(CLIENT)
        state.user_presses(ADMIN, notice, button["callback_data"])
        office.wait_for_post(CLIENT, REPLY)
        office.wait(lambda: the_reply(office).status is OutboxStatus.SENT, "recorded as sent")
        state.user_presses(ADMIN, notice, button["callback_data"])
        office.wait(lambda: "sudah dicoba lagi" in " ".join(office.answers()), "a stale tap")
        assert [m.get("text") for m in state.sent(CLIENT)].count(REPLY) == 1
        with app.uows() as uow:
            actions = [e.action for e in uow.audit.entries(1)]
        assert actions.count("outbox.resend") == 1 and "outbox.resend.denied" in actions


def test_a_reply_to_a_commands_answer_goes_to_the_selected_case(tmp_path):
    """A command's answer is linked to a case for erasure only: replying to "Kasus #2 dipilih"
    writes to client 2 (the answer's case was the one selected before the command, #1)."""
    with running_office(tmp_path) as office:
        state, app = office.state, office.app
        state.user_writes(CLIENT, text="Halo saya klien satu.")
        first = office.topic_of(1)
        state.user_writes(CLIENT_2, text="Halo saya klien dua.")
        second = office.topic_of(2)
        office.tap(ADMIN, office.wait_for_post(GROUP, "Percakapan #1", first), "handoff:1:1")
        office.tap(MADE, office.wait_for_post(MADE, "Kasus #1"), "claim:1:1")
        office.wait(lambda: state_of(app, 1) is State.WITH_COUNSELOR, "claim 1")
        office.tap(ADMIN, office.wait_for_post(GROUP, "Percakapan #2", second), "handoff:2:1")
        office.wait(lambda: state_of(app, 2) is State.HANDED_OFF, "hand-off 2")
        # offered to Nyoman, the less loaded: Made holds #2 too only if the head assigns it
        state.user_writes(HEAD, text="/tugaskan Made 2")
        office.wait(lambda: state_of(app, 2) is State.WITH_COUNSELOR, "claim 2")
        state.user_writes(MADE, text="/kasus 2")
        answer = office.wait_for_post(MADE, "dipilih")
        office.wait(lambda: all_sent(app, f"staff:{MADE}"), "the answer recorded as sent")
        state.user_writes(MADE, text="Jadwal besok jam 9", reply_to=answer["message_id"])
        office.wait_for_post(CLIENT_2, "Jadwal besok jam 9")
        assert not [m for m in state.sent(CLIENT) if "Jadwal besok" in m.get("text", "")]


def state_of(app, conv):
    with app.uows() as uow:
        return uow.conversations.get(conv).state


def all_sent(app, recipient):
    with app.uows() as uow:
        return not [i for i in uow.outbox.unsent() if i.recipient == recipient]


def test_a_counselors_failed_reply_goes_back_to_the_counselor_and_not_its_words_to_the_group(
    tmp_path,
):
    words = "Ibu, sesi kita besok membahas rasa bersalah itu."
    with running_office(tmp_path) as office:
        state, app = office.state, office.app
        state.user_writes(CLIENT, text="Saya sering merasa bersalah pada anak saya.")
        topic = office.topic_of(1)
        office.tap(ADMIN, office.wait_for_post(GROUP, "Percakapan #1", topic), "handoff:1:1")
        office.tap(MADE, office.wait_for_post(MADE, "Kasus #1"), "claim:1:1")
        office.wait(lambda: state_of(app, 1) is State.WITH_COUNSELOR, "the claim")
        state.blocked.add(CLIENT)
        state.user_writes(MADE, text=words)
        mine = office.wait_for_post(MADE, "Tidak terkirim")
        assert words in mine["text"]  # the counselor sees which reply failed
        shown = office.wait_for_post(GROUP, "Tidak terkirim", topic)
        assert words not in shown["text"] and "Isi:" not in shown["text"]  # counseling content
