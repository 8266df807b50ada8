"""Texts of the Telegram side: the hotline's greeting, the admin group, the counselors' chats.

Merged into `triage.texts.catalog.TEXTS`. Placeholders are filled with values the shell has already
escaped for the parse mode it uses (HTML).
"""

from __future__ import annotations

TELEGRAM_TEXTS: dict[str, dict[str, str]] = {
    # --- hotline (clients) ---
    "hotline.greeting": {
        "id": (
            "Halo, selamat datang di layanan konseling {office}.\n\n"
            "Di sini Anda dapat bercerita dan berkonsultasi tentang keluarga, pengasuhan anak, "
            "pernikahan, atau masalah lain bersama petugas dan psikolog kami. Layanan ini "
            "GRATIS dan RAHASIA.\n\n"
            "Jam layanan: {hours} ({zone}). Di luar jam itu pesan Anda tetap kami terima dan "
            "dijawab pada jam layanan berikutnya.\n"
            "Dalam keadaan darurat hubungi SAPA 129 (WhatsApp 08111-129-129) atau 112.\n\n"
            "Sebelum Anda menceritakan data pribadi (nama, alamat, nomor HP, NIK), mohon "
            "persetujuan Anda: data Anda hanya dipakai untuk layanan ini, disimpan dengan aman, "
            "dan tidak dibagikan tanpa izin Anda, kecuali untuk melindungi keselamatan jiwa "
            "(UU 27/2022 tentang Pelindungan Data Pribadi). Apakah Anda setuju?"
        ),
        "en": (
            "Hello, welcome to the counseling service of {office}.\n\n"
            "Here you can talk about family, parenting, marriage or other worries with our "
            "staff and psychologists. The service is FREE and CONFIDENTIAL.\n\n"
            "Service hours: {hours} ({zone}). Outside those hours your message is still "
            "received and answered in the next service hours.\n"
            "In an emergency call SAPA 129 (WhatsApp 08111-129-129) or 112.\n\n"
            "Before you share personal details (name, address, phone, NIK), we ask for your "
            "consent: your data is used only for this service, stored safely and not shared "
            "without your permission, except to protect someone's life (Indonesian Personal "
            "Data Protection Law 27/2022). Do you agree?"
        ),
    },
    "hotline.consent_yes": {"id": "✅ Setuju", "en": "✅ I agree"},
    "hotline.consent_no": {"id": "Tidak setuju", "en": "I do not agree"},
    "hotline.consent_given": {
        "id": "[Persetujuan data pribadi: SETUJU]",
        "en": "[Consent to personal data: AGREED]",
    },
    "hotline.consent_refused": {
        "id": "[Persetujuan data pribadi: TIDAK SETUJU]",
        "en": "[Consent to personal data: REFUSED]",
    },
    "hotline.thanks_yes": {
        "id": "Terima kasih. Silakan ceritakan apa yang bisa kami bantu; petugas kami akan "
        "segera menjawab.",
        "en": "Thank you. Please tell us how we can help; our staff will answer soon.",
    },
    "hotline.thanks_no": {
        "id": "Baik, tidak apa-apa. Anda tetap boleh bercerita tanpa menyebutkan data pribadi; "
        "petugas kami akan menjawab.",
        "en": "That is fine. You may still talk to us without giving personal details; our "
        "staff will answer.",
    },
    "hotline.file_too_big": {
        "id": "[berkas {name} tidak diunduh: {size} melebihi batas {limit}]",
        "en": "[file {name} not downloaded: {size} is over the limit of {limit}]",
    },
    "hotline.media": {"id": "[{kind}]", "en": "[{kind}]"},
    "hotline.edited": {"id": "[pesan diubah]", "en": "[message edited]"},
    "hotline.file_failed": {
        "id": "[berkas {name} tidak dapat diunduh dari Telegram]",
        "en": "[file {name} could not be fetched from Telegram]",
    },
    "media.photo": {"id": "foto", "en": "photo"},
    "ig.shared_post": {"id": "kiriman yang dibagikan", "en": "shared post"},
    "ig.story_reply": {"id": "balasan untuk story", "en": "reply to a story"},
    "ig.unsupported": {"id": "jenis pesan Instagram", "en": "Instagram message type"},
    "ig.trouble.rate": {
        "id": "⚠️ Instagram meminta kami memperlambat. Kanal Instagram berhenti sebentar lalu "
        "mencoba lagi sendiri; kanal lain tetap berjalan.",
        "en": "⚠️ Instagram asks us to slow down. The Instagram channel pauses and retries by "
        "itself; the other channels go on.",
    },
    "ig.trouble.login": {
        "id": "⚠️ Instagram menolak sesi login. Layanan akan login ulang sendiri; bila terus "
        "gagal, periksa [instagram] username dan kata sandi.",
        "en": "⚠️ Instagram refused the session. The service logs in again by itself; if it "
        "keeps failing, check [instagram] username and password.",
    },
    "ig.trouble.two_factor": {
        "id": "🔐 Instagram meminta kode verifikasi dua langkah. Ketik /kode diikuti kode dari "
        "aplikasi atau SMS, misalnya /kode 123456.",
        "en": "🔐 Instagram asks for the two-factor code. Type /kode and the code from the app "
        "or SMS, e.g. /kode 123456.",
    },
    "ig.trouble.challenge": {
        "id": "🔐 Instagram meminta kode keamanan (dikirim lewat email atau SMS ke pemilik akun). "
        "Ketik /kode diikuti kodenya, misalnya /kode 123456.",
        "en": "🔐 Instagram asks for a security code (sent by email or SMS to the account owner). "
        "Type /kode and the code, e.g. /kode 123456.",
    },
    "ig.trouble.network": {
        "id": "⚠️ Instagram tidak dapat dihubungi. Kanal Instagram mencoba lagi sendiri; kanal "
        "lain tetap berjalan.",
        "en": "⚠️ Instagram cannot be reached. The Instagram channel retries by itself; the other "
        "channels go on.",
    },
    "ig.back": {
        "id": "✅ Kanal Instagram berjalan lagi.",
        "en": "✅ The Instagram channel is running again.",
    },
    "staff.code_usage": {
        "id": "Tulis /kode diikuti angka kode dari Instagram, misalnya /kode 123456 "
        "(hanya bila kanal Instagram meminta kode).",
        "en": "Write /kode and the digits Instagram sent, e.g. /kode 123456 (only when the "
        "Instagram channel asks for a code).",
    },
    "ig.code_saved": {
        "id": "Kode disimpan; kanal Instagram mencoba login dengan kode itu.",
        "en": "Code saved; the Instagram channel tries to log in with it.",
    },
    "media.document": {"id": "dokumen", "en": "document"},
    "media.voice": {"id": "pesan suara", "en": "voice note"},
    "media.video": {"id": "video", "en": "video"},
    "media.video_note": {"id": "pesan video", "en": "video message"},
    "media.audio": {"id": "audio", "en": "audio"},
    "media.animation": {"id": "animasi", "en": "animation"},
    "hotline.sticker": {"id": "[stiker {emoji}]", "en": "[sticker {emoji}]"},
    "hotline.location": {"id": "[lokasi: {lat}, {lon}]", "en": "[location: {lat}, {lon}]"},
    "hotline.contact": {"id": "[kontak: {name} {phone}]", "en": "[contact: {name} {phone}]"},
    "staff.text_only": {
        "id": "Lampiran dari petugas belum dapat diteruskan ke klien. Kirim sebagai teks.",
        "en": "Attachments from staff cannot be passed on to clients yet. Send text.",
    },
    # --- posts in the admin group and the counselors' chats ---
    "tg.card": {
        "id": "🆕 <b>Percakapan #{conv}</b> · {icon} {channel} · {name}",
        "en": "🆕 <b>Conversation #{conv}</b> · {icon} {channel} · {name}",
    },
    "tg.card_round": {
        "id": "🔄 <b>Percakapan #{conv} dibuka lagi</b> (putaran {round}) · "
        "{icon} {channel} · {name}",
        "en": "🔄 <b>Conversation #{conv} reopened</b> (round {round}) · {icon} {channel} · {name}",
    },
    "tg.card_hint": {
        "id": "<i>Balas di topik ini untuk menjawab klien. "
        "Baris yang diawali // tetap internal.</i>",
        "en": "<i>Write in this topic to answer the client. "
        "Lines starting with // stay internal.</i>",
    },
    "tg.triage": {"id": "🔎 <i>{rules}</i>", "en": "🔎 <i>{rules}</i>"},
    "tg.alert": {
        "id": "🚨 <b>Pesan MENDESAK</b> di percakapan #{conv} · {icon} {channel} · {name}\n"
        "🔎 <i>{rules}</i>\nBalasan pertama yang aman sudah dikirim ke klien. Lihat topiknya di "
        "grup admin, atau ambil kasusnya bila diserahkan.",
        "en": "🚨 <b>URGENT message</b> in conversation #{conv} · {icon} {channel} · {name}\n"
        "🔎 <i>{rules}</i>\nThe safe first reply has been sent to the client. See its topic in "
        "the admin group, or take the case when it is handed off.",
    },
    "after_hours.reply": {
        "id": "Terima kasih, pesan Anda sudah kami terima. Saat ini di luar jam layanan kami "
        "({hours} {zone}). Petugas kami akan membalas mulai {resumes}.\n\n"
        "Jika Anda atau orang lain dalam bahaya sekarang, hubungi SAPA 129 (telepon 129, "
        "WhatsApp 08111-129-129) atau darurat 112. {office}: {phone}",
        "en": "Thank you, we have received your message. We are outside our service hours "
        "now ({hours} {zone}). Our staff will answer from {resumes}.\n\n"
        "If you or someone else is in danger now, call SAPA 129 (phone 129, WhatsApp "
        "08111-129-129) or emergency 112. {office}: {phone}",
    },
    "crisis.reply": {
        "id": "Terima kasih sudah menghubungi kami. Kami mendengar Anda, dan Anda tidak sendiri. "
        "Seorang petugas kami akan segera membalas pesan Anda di sini.\n\n"
        "Jika Anda atau orang lain dalam bahaya sekarang, hubungi:\n"
        "• SAPA 129 (telepon 129, WhatsApp 08111-129-129)\n"
        "• Darurat: 112\n"
        "• {office}: {phone}",
        "en": "Thank you for reaching out to us. We hear you, and you are not alone. One of our "
        "staff will answer you here very soon.\n\n"
        "If you or someone else is in danger now, call:\n"
        "• SAPA 129 (phone 129, WhatsApp 08111-129-129)\n"
        "• Emergency: 112\n"
        "• {office}: {phone}",
    },
    "tg.urgent": {"id": "🚨 <b>MENDESAK</b>", "en": "🚨 <b>URGENT</b>"},
    "tg.client_header": {
        "id": "💬 <b>#{conv}</b> · {name}",
        "en": "💬 <b>#{conv}</b> · {name}",
    },
    "tg.case": {
        "id": "📂 <b>Kasus #{conv}</b> · {icon} {channel} · {name}\n"
        "Kasus ini sekarang Anda tangani. Untuk menjawab klien: balas (reply) pesan kasus ini, "
        "atau ketik /kasus {conv} lalu tulis pesan. /lepas mengembalikan kasus ke antrean, "
        "/tutup tuntas|ulang|rujukan menutupnya.\n\n<b>Riwayat:</b>",
        "en": "📂 <b>Case #{conv}</b> · {icon} {channel} · {name}\n"
        "This case is now yours. To answer the client: reply to a message of this case, or "
        "type /kasus {conv} and then your message. /lepas puts the case back in the queue, "
        "/tutup tuntas|ulang|rujukan closes it.\n\n<b>History:</b>",
    },
    "tg.offer": {
        "id": "📥 <b>Kasus #{conv}</b> menunggu konselor · {icon} {channel} · {name}",
        "en": "📥 <b>Case #{conv}</b> is waiting for a counselor · {icon} {channel} · {name}",
    },
    "tg.taken": {
        "id": "Kasus #{conv} sudah diambil oleh {by}.",
        "en": "Case #{conv} was taken by {by}.",
    },
    "tg.author.client": {"id": "Klien", "en": "Client"},
    "tg.author.staff": {"id": "Petugas", "en": "Staff"},
    "tg.author.note": {"id": "📝 Catatan internal", "en": "📝 Internal note"},
    "tg.auto": {
        "id": "[pesan otomatis, tidak perlu dijawab]",
        "en": "[automatic message, no answer needed]",
    },
    "tg.part": {"id": "(bagian {part})", "en": "(part {part})"},
    "tg.files": {"id": "📎 {files}", "en": "📎 {files}"},
    "tg.status.handed_off": {
        "id": "📤 Diserahkan ke konselor oleh {by}. Menunggu konselor mengambil kasus. "
        "Sejak sekarang isi konseling tidak tampil di sini.",
        "en": "📤 Handed off to the counselors by {by}. Waiting for a counselor to claim it. "
        "From now on counseling content is not shown here.",
    },
    "tg.status.offered": {
        "id": "Ditawarkan ke: {offered} ({reason}).",
        "en": "Offered to: {offered} ({reason}).",
    },
    "offer_reason.returning": {
        "id": "konselor terakhir klien ini",
        "en": "this client's last counselor",
    },
    "offer_reason.specialty": {
        "id": "piket, sesuai keahlian, beban paling ringan",
        "en": "on duty, matching specialty, lightest load",
    },
    "offer_reason.on_duty": {"id": "piket, beban paling ringan", "en": "on duty, lightest load"},
    "offer_reason.everyone": {
        "id": "tidak ada yang piket sekarang: semua konselor",
        "en": "nobody on duty now: every counselor",
    },
    # --- SLA reminders (triage.usecases.timers) ---
    "tg.remind.first_admin_response": {
        "id": "⏰ <b>#{conv}</b> · {name}: klien menunggu jawaban pertama sudah {minutes} menit "
        "layanan (target {target} menit). Mohon segera dibalas.",
        "en": "⏰ <b>#{conv}</b> · {name}: the client has waited {minutes} service minutes for a "
        "first answer (target {target} minutes). Please answer now.",
    },
    "tg.remind.handed_off": {
        "id": "⏰ <b>#{conv}</b> · {name}: {minutes} menit layanan sejak jawaban pertama (target "
        "{target} menit). Lengkapi formulir lalu serahkan ke konselor, atau tutup percakapan.",
        "en": "⏰ <b>#{conv}</b> · {name}: {minutes} service minutes since the first answer "
        "(target {target} minutes). Complete the form and hand off, or close the conversation.",
    },
    "tg.remind.claimed": {
        "id": "⏰ <b>#{conv}</b> · {name}: belum diambil konselor sesudah {minutes} menit layanan "
        "(target {target} menit). Kini ditawarkan ke semua konselor.",
        "en": "⏰ <b>#{conv}</b> · {name}: not claimed after {minutes} service minutes (target "
        "{target} minutes). Now offered to every counselor.",
    },
    "tg.remind.first_counselor_response": {
        "id": "⏰ <b>Kasus #{conv}</b> · {name}: klien menunggu balasan Anda sudah {minutes} menit "
        "layanan (target {target} menit).",
        "en": "⏰ <b>Case #{conv}</b> · {name}: the client has waited {minutes} service minutes "
        "for your answer (target {target} minutes).",
    },
    "tg.escalate": {
        "id": '⚠️ <b>Eskalasi #{conv}</b> · {name}: target "{step}" ({target} menit) terlewat; '
        "sudah {minutes} menit layanan.",
        "en": '⚠️ <b>Escalation #{conv}</b> · {name}: the target for "{step}" ({target} minutes) '
        "was missed; {minutes} service minutes so far.",
    },
    "tg.escalated_group": {
        "id": '⚠️ #{conv}: target "{step}" terlewat ({minutes} menit layanan); ketua sudah '
        "diberi tahu.",
        "en": '⚠️ #{conv}: the target for "{step}" was missed ({minutes} service minutes); the '
        "head has been told.",
    },
    "tg.escalated_nobody": {
        "id": '⚠️ #{conv}: target "{step}" terlewat ({minutes} menit layanan). Belum ada ketua '
        "di konfigurasi yang dapat diberi tahu.",
        "en": '⚠️ #{conv}: the target for "{step}" was missed ({minutes} service minutes). No '
        "head is configured to be told.",
    },
    "tg.board": {
        "id": "📋 <b>Antrean</b> (menit layanan menunggu; ⚠️ lewat target)\n{lines}",
        "en": "📋 <b>Queue</b> (service minutes waiting; ⚠️ past the target)\n{lines}",
    },
    "tg.board.line": {
        "id": "{urgent}#{conv} · {step} · {minutes} mnt{late}",
        "en": "{urgent}#{conv} · {step} · {minutes} min{late}",
    },
    "tg.board.more": {"id": "… dan {n} lagi", "en": "… and {n} more"},
    "tg.board.empty": {"id": "Tidak ada yang menunggu. 👍", "en": "Nobody is waiting. 👍"},
    "board.step.first_admin_response": {"id": "menunggu admin", "en": "waiting for an admin"},
    "board.step.handed_off": {"id": "menunggu diserahkan", "en": "waiting for hand-off"},
    "board.step.claimed": {"id": "menunggu konselor", "en": "waiting for a counselor"},
    "board.step.first_counselor_response": {
        "id": "menunggu balasan konselor",
        "en": "waiting for the counselor's answer",
    },
    # --- complaints (the complaint standard) and psychoeducation requests (the Kaltim standard) ---
    "complaint.received": {
        "id": "Terima kasih, pengaduan Anda sudah kami terima dan dicatat. Pengaduan akan kami "
        "tindak lanjuti dan selesaikan paling lambat {due} (4 hari kerja), tanpa biaya.",
        "en": "Thank you, your complaint has been received and recorded. We will follow it up "
        "and settle it by {due} (4 working days), free of charge.",
    },
    "complaint.ask": {
        "id": "Agar pengaduan dapat ditindaklanjuti, mohon lengkapi data berikut: balas pesan "
        "ini, salin baris-barisnya dan isi sesudah tanda titik dua.",
        "en": "So that we can follow it up, please complete the following: reply to this "
        "message, copy the lines and fill them in after the colon.",
    },
    "complaint.feedback": {
        "id": "Mohon sampaikan umpan balik Anda: apakah tanggapan ini sudah menjawab pengaduan "
        "Anda? Balas pesan ini dengan pendapat Anda.",
        "en": "Please tell us: does this response answer your complaint? Reply to this message "
        "with your view.",
    },
    "psychoed.received": {
        "id": "Terima kasih atas permohonan psikoedukasi/penyuluhan Anda. Permohonan akan kami "
        "jawab dalam 3×24 jam. Kegiatan dijadwalkan paling cepat satu minggu sesudah "
        "permohonan: paling cepat {earliest}.",
        "en": "Thank you for your request for a psychoeducation session. We answer within 3×24 "
        "hours. Sessions are booked at least one week ahead: {earliest} at the earliest.",
    },
    "psychoed.ask": {
        "id": "Mohon lengkapi data berikut: balas pesan ini, salin baris-barisnya dan isi "
        "sesudah tanda titik dua.",
        "en": "Please complete the following: reply to this message, copy the lines and fill "
        "them in after the colon.",
    },
    "psychoed.accepted": {
        "id": "Permohonan psikoedukasi Anda kami terima. Jadwal: {date}. Petugas kami akan "
        "menghubungi narahubung untuk persiapan.",
        "en": "Your psychoeducation request is accepted. Date: {date}. Our staff will contact "
        "the contact person to prepare.",
    },
    "psychoed.declined": {
        "id": "Mohon maaf, permohonan psikoedukasi Anda belum dapat kami penuhi.",
        "en": "We are sorry, we cannot take on your psychoeducation request.",
    },
    "tg.status.complaint_opened": {
        "id": "📣 <b>Pengaduan</b> dicatat; batas penyelesaian {due} (4 hari kerja). "
        "Belum lengkap: {missing}. Isi dengan /pengaduan lalu baris «Label: isi».",
        "en": "📣 <b>Complaint</b> recorded; to be settled by {due} (4 working days). "
        "Missing: {missing}. Fill in with /pengaduan and «Label: value» lines.",
    },
    "tg.status.complaint_complete": {
        "id": "📣 Data pengaduan lengkap; diteruskan ke ketua untuk disposisi.",
        "en": "📣 The complaint is complete; forwarded to the head for disposition.",
    },
    "tg.status.complaint_for_disposition": {
        "id": "📣 <b>Pengaduan #{conv}</b> menunggu disposisi Anda (batas {due}). Balas (reply) "
        "pesan ini dengan /disposisi BIDANG catatan.",
        "en": "📣 <b>Complaint #{conv}</b> awaits your disposition (due {due}). Reply to this "
        "message with /disposisi DIVISION note.",
    },
    "tg.status.complaint_disposed": {
        "id": "📌 Disposisi ketua: ditangani {division}. Catat temuan dengan /klarifikasi, "
        "kirim tanggapan dengan /tanggapan.",
        "en": "📌 The head's disposition: handled by {division}. Record findings with "
        "/klarifikasi, send the response with /tanggapan.",
    },
    "tg.status.complaint_responded": {
        "id": "✉️ Tanggapan terkirim ke pengadu; menunggu umpan balik.",
        "en": "✉️ Response sent to the complainant; feedback awaited.",
    },
    "tg.status.complaint_feedback": {
        "id": "💬 Umpan balik pengadu tercatat. Tutup dengan /selesai laporan penanganan.",
        "en": "💬 The complainant's feedback is recorded. Close with /selesai and the report.",
    },
    "tg.status.complaint_closed": {
        "id": "✅ Pengaduan selesai; laporan penanganan tersimpan.",
        "en": "✅ Complaint settled; the report is kept.",
    },
    "tg.status.psychoed_opened": {
        "id": "🎓 <b>Permohonan psikoedukasi</b> dicatat; dijawab paling lambat 3×24 jam. Belum "
        "lengkap: {missing}. Isi dengan /psikoedukasi lalu baris «Label: isi».",
        "en": "🎓 <b>Psychoeducation request</b> recorded; to be answered within 3×24 hours. "
        "Missing: {missing}. Fill in with /psikoedukasi and «Label: value» lines.",
    },
    "tg.status.psychoed_complete": {
        "id": "🎓 Permohonan lengkap. Tanggal yang diminta: {date}; diusulkan (bila terlalu "
        "dekat): {proposed}. Jawab dengan /terima [tanggal] atau /tolak alasan.",
        "en": "🎓 The request is complete. Date asked: {date}; proposed (if too soon): "
        "{proposed}. Answer with /terima [date] or /tolak reason.",
    },
    "tg.status.psychoed_accepted": {
        "id": "✅ Psikoedukasi diterima untuk {session}; pemohon sudah diberi tahu.",
        "en": "✅ Psychoeducation accepted for {session}; the requester has been told.",
    },
    "tg.status.psychoed_declined": {
        "id": "Permohonan psikoedukasi ditolak; pemohon sudah diberi tahu.",
        "en": "The psychoeducation request was declined; the requester has been told.",
    },
    "tg.casefile_due.pengaduan.0": {
        "id": "⏰ <b>Pengaduan #{conv}</b> · {name}: batas penyelesaian {due}, tinggal satu "
        "hari kerja.",
        "en": "⏰ <b>Complaint #{conv}</b> · {name}: due {due}, one working day left.",
    },
    "tg.casefile_due.pengaduan.1": {
        "id": "⚠️ <b>Pengaduan #{conv}</b> · {name}: batas penyelesaian {due} terlewat.",
        "en": "⚠️ <b>Complaint #{conv}</b> · {name}: the deadline {due} has passed.",
    },
    "tg.casefile_due.psikoedukasi.0": {
        "id": "⏰ <b>Permohonan psikoedukasi #{conv}</b> · {name}: belum dijawab; batas 3×24 "
        "jam pada {due}.",
        "en": "⏰ <b>Psychoeducation request #{conv}</b> · {name}: not answered yet; due {due}.",
    },
    "tg.casefile_due.psikoedukasi.1": {
        "id": "⚠️ <b>Permohonan psikoedukasi #{conv}</b> · {name}: batas jawaban {due} terlewat.",
        "en": "⚠️ <b>Psychoeducation request #{conv}</b> · {name}: the answer was due {due}.",
    },
    "staff.casefile": {
        "id": "{title} <b>#{conv}</b> · {status} · batas {due}\n{facts}",
        "en": "{title} <b>#{conv}</b> · {status} · due {due}\n{facts}",
    },
    "casefile.title.pengaduan": {"id": "📣 Pengaduan", "en": "📣 Complaint"},
    "casefile.title.psikoedukasi": {"id": "🎓 Psikoedukasi", "en": "🎓 Psychoeducation"},
    "casefile.status.recording": {"id": "data belum lengkap", "en": "facts missing"},
    "casefile.status.waiting_disposition": {
        "id": "menunggu disposisi ketua",
        "en": "awaiting the head's disposition",
    },
    "casefile.status.disposed": {"id": "ditangani bidang", "en": "with a division"},
    "casefile.status.responded": {"id": "menunggu umpan balik", "en": "feedback awaited"},
    "casefile.status.feedback": {"id": "umpan balik tercatat", "en": "feedback recorded"},
    "casefile.status.closed": {"id": "selesai", "en": "settled"},
    "casefile.status.waiting_answer": {"id": "menunggu jawaban", "en": "awaiting an answer"},
    "casefile.status.accepted": {"id": "diterima", "en": "accepted"},
    "casefile.status.declined": {"id": "ditolak", "en": "declined"},
    "staff.casefile_saved": {"id": "Tersimpan: {fields}.", "en": "Saved: {fields}."},
    "staff.casefile_other": {
        "id": "Percakapan #{conv} sudah tercatat sebagai {title}.",
        "en": "Conversation #{conv} is already recorded as {title}.",
    },
    "staff.casefile_none": {
        "id": "Percakapan ini bukan pengaduan atau permohonan psikoedukasi. Tulis /pengaduan "
        "atau /psikoedukasi di topiknya untuk mencatatnya.",
        "en": "This conversation is not a complaint or a psychoeducation request. Write "
        "/pengaduan or /psikoedukasi in its topic to record it.",
    },
    "staff.dispose_usage": {
        "id": "Tulis /disposisi BIDANG catatan, misalnya /disposisi Bidang PPA mohon "
        "klarifikasi ke sekolah. Disposisi hanya oleh ketua.",
        "en": "Write /disposisi DIVISION note, e.g. /disposisi Bidang PPA please clarify with "
        "the school. Only the head gives a disposition.",
    },
    "staff.text_usage": {
        "id": "Tulis /{command} lalu teksnya.",
        "en": "Write /{command} and then the text.",
    },
    "staff.clarified": {"id": "Hasil klarifikasi tersimpan.", "en": "Clarification saved."},
    "staff.accept_usage": {
        "id": "Tulis /terima atau /terima TANGGAL (hari kerja, paling cepat {earliest}).",
        "en": "Write /terima or /terima DATE (a working day, {earliest} at the earliest).",
    },
    "staff.sessions": {
        "id": "🎓 <b>Jadwal psikoedukasi</b>\n{lines}",
        "en": "🎓 <b>Psychoeducation sessions</b>\n{lines}",
    },
    "staff.sessions_none": {
        "id": "Belum ada psikoedukasi yang dijadwalkan.",
        "en": "No psychoeducation session is scheduled.",
    },
    "tg.status.claimed": {
        "id": "🤝 Kasus diambil oleh konselor {by}.",
        "en": "🤝 Claimed by counselor {by}.",
    },
    "tg.status.released": {
        "id": "↩️ {by} melepas kasus; kembali ke antrean konselor.",
        "en": "↩️ {by} released the case; back in the counselors' queue.",
    },
    "tg.status.closed": {
        "id": "✅ Ditutup oleh {by}: {outcome}.",
        "en": "✅ Closed by {by}: {outcome}.",
    },
    "tg.status.auto_answer": {
        "id": "🤖 Jawaban otomatis terkirim ke klien{by}:",
        "en": "🤖 Automatic answer sent to the client{by}:",
    },
    "form.chat.consent": {
        "id": "Halo, terima kasih sudah menghubungi layanan konseling kami. Layanan ini GRATIS "
        "dan RAHASIA; petugas kami akan membalas pesan Anda.\n\nAgar dapat kami catat, kami "
        "akan menanyakan beberapa data singkat (nama, usia, domisili). Data Anda hanya dipakai "
        "untuk layanan ini dan disimpan dengan aman (UU 27/2022 tentang Pelindungan Data "
        "Pribadi). Apakah Anda setuju? Balas YA atau TIDAK.",
        "en": "Hello, thank you for contacting our counseling service. It is FREE and "
        "CONFIDENTIAL; our staff will answer you.\n\nSo that we can record your case we will "
        "ask a few short questions (name, age, where you live). Your data is used only for this "
        "service and kept safe (Indonesian Personal Data Protection Law 27/2022). Do you "
        "agree? Reply YES or NO.",
    },
    "form.chat.declined": {
        "id": "Baik, tidak apa-apa. Anda tetap boleh bercerita tanpa menyebutkan data pribadi; "
        "petugas kami akan membalas.",
        "en": "That is fine. You may still talk to us without giving personal details; our "
        "staff will answer.",
    },
    "form.intro": {
        "id": "Terima kasih. Kami akan menanyakan beberapa data singkat, satu per satu. Ketik "
        "«lewati» untuk melewati pertanyaan, «ubah» untuk kembali ke pertanyaan sebelumnya, "
        "atau «batal» untuk berhenti. Anda juga boleh langsung bercerita kapan saja.",
        "en": "Thank you. We will ask a few short questions, one at a time. Type «skip» to skip "
        "one, «back» to go back, or «stop» to stop. You may also tell your story at any time.",
    },
    "form.mail.intro": {
        "id": "Terima kasih telah menghubungi kami; petugas kami akan membalas email Anda. "
        "Layanan ini gratis dan rahasia. Agar kami dapat mencatat layanan Anda, mohon balas "
        "email ini dengan mengisi baris di bawah (boleh dalam urutan apa pun; yang tidak ingin "
        "Anda isi boleh dikosongkan). Dengan mengisi «Persetujuan: ya» Anda setuju data ini "
        "dicatat untuk layanan (UU 27/2022). Anda juga boleh langsung menceritakan keperluan Anda.",
        "en": "Thank you for writing to us; our staff will answer your email. This service is "
        "free and confidential. So that we can record your case, please reply with the lines "
        "below filled in (any order; leave out what you prefer not to give). Writing "
        "«Persetujuan: ya» means you agree to these details being recorded for this service. "
        "You may also simply tell us what you need.",
    },
    "form.mail.again": {
        "id": "Terima kasih, jawaban Anda sudah kami catat. Masih ada yang belum lengkap atau "
        "belum dapat kami baca; mohon isi baris berikut:",
        "en": "Thank you, we have recorded your answers. Some are still missing or could not be "
        "read; please fill in these lines:",
    },
    "form.mail.consent": {
        "id": "Terima kasih. Sebelum kami mencatat data Anda, kami memerlukan persetujuan Anda: "
        "mohon tulis «Persetujuan: ya» bersama data di bawah ini (atau «Persetujuan: tidak» bila "
        "Anda tidak ingin data dicatat; layanan tetap kami berikan).",
        "en": "Thank you. Before we record your details we need your consent: please write "
        "«Persetujuan: ya» together with the lines below (or «Persetujuan: tidak» if you prefer "
        "not to be recorded; you will be served all the same).",
    },
    "form.done": {
        "id": "Terima kasih, data Anda sudah tercatat dengan nomor registrasi {register}. "
        "Petugas kami akan melanjutkan percakapan ini.",
        "en": "Thank you, your details are recorded under register number {register}. Our staff "
        "will continue this conversation.",
    },
    "form.incomplete": {
        "id": "Terima kasih. Beberapa data dilewati; tidak apa-apa, petugas kami akan "
        "melanjutkan percakapan ini.",
        "en": "Thank you. Some questions were skipped; that is fine, our staff will continue "
        "this conversation.",
    },
    "form.stopped": {
        "id": "Baik, pertanyaan data kami hentikan. Silakan bercerita; petugas kami akan menjawab.",
        "en": "All right, no more questions. Please tell us your story; our staff will answer.",
    },
    "tg.status.form_complete": {
        "id": "📝 Formulir identitas lengkap{by}: nomor registrasi {register}.",
        "en": "📝 Identity form complete{by}: register number {register}.",
    },
    "form.required": {
        "id": "Bagian ini perlu diisi (atau tulis «lewati» bila memang tidak ingin).",
        "en": "This one is needed (or write «skip» if you prefer not to).",
    },
    "form.yes_no": {"id": "Mohon jawab «ya» atau «tidak».", "en": "Please answer «yes» or «no»."},
    "form.gender": {
        "id": "Mohon jawab «perempuan» atau «laki-laki».",
        "en": "Please answer «female» or «male».",
    },
    "form.choice": {
        "id": "Mohon pilih salah satu yang disebutkan.",
        "en": "Please choose one of the options given.",
    },
    "form.phone": {
        "id": "Nomor HP belum dikenali; contoh: 0812-3456-7890.",
        "en": "That phone number was not recognised; for example 0812-3456-7890.",
    },
    "form.age": {
        "id": "Mohon tulis usia (misalnya 34) atau tanggal lahir (misalnya 17-08-1990).",
        "en": "Please give an age (e.g. 34) or a date of birth (e.g. 17-08-1990).",
    },
    "form.nik_digits": {"id": "NIK terdiri dari 16 angka.", "en": "A NIK has 16 digits."},
    "form.nik_province": {
        "id": "Dua angka pertama NIK bukan kode provinsi.",
        "en": "The first two digits of the NIK are not a province code.",
    },
    "form.nik_date": {
        "id": "Tanggal lahir di dalam NIK tidak sah.",
        "en": "The birth date inside the NIK is not valid.",
    },
    "form.nik_serial": {
        "id": "Empat angka terakhir NIK tidak boleh 0000.",
        "en": "The last four digits of a NIK cannot be 0000.",
    },
    "faq.hours": {
        "id": "Jam layanan kami: {hours} ({zone}).",
        "en": "Our hours: {hours} ({zone}).",
    },
    "faq.address": {"id": "Alamat kantor kami: {address}.", "en": "Our office: {address}."},
    "faq.cost": {
        "id": "Semua layanan konseling {office} GRATIS, tanpa biaya apa pun.",
        "en": "All counseling at {office} is FREE of charge.",
    },
    "faq.requirements": {
        "id": "Tidak ada syarat khusus: cukup hubungi kami. Untuk pencatatan kami akan menanyakan "
        "identitas singkat (nama, usia, domisili, nomor HP) setelah Anda setuju.",
        "en": "There are no special requirements: just contact us. For our records we ask a "
        "short identity form (name, age, place, phone) once you agree.",
    },
    "faq.services": {
        "id": "Kami melayani konseling keluarga: pengasuhan balita dan remaja, pranikah, "
        "KB dan kesehatan reproduksi, lansia, keharmonisan keluarga, ekonomi keluarga, "
        "pendampingan korban kekerasan, dan permintaan psikoedukasi.",
        "en": "We offer family counseling: parenting of toddlers and teenagers, pre-marital, "
        "family planning and reproductive health, the elderly, family relationships, family "
        "economy, support for victims of violence, and psychoeducation requests.",
    },
    "faq.themes": {
        "id": "Jadwal layanan per hari: {days}.",
        "en": "What each day is for: {days}.",
    },
    "faq.closing": {
        "id": "Ini jawaban otomatis. Petugas kami juga akan membalas Anda di sini.",
        "en": "This is an automatic answer. Our staff will also reply to you here.",
    },
    "tg.status.held": {
        "id": "{n} pesan klien yang masuk sesudah penyerahan belum dibaca konselor; "
        "diteruskan ke ketua.",
        "en": "{n} client messages that came after the hand-off were not read by a counselor; "
        "passed on to the head.",
    },
    "tg.status.urgent": {
        "id": "🚨 Ditandai MENDESAK oleh {by}.",
        "en": "🚨 Marked URGENT by {by}.",
    },
    "tg.topic_title": {"id": "{icon} {name} · #{conv}", "en": "{icon} {name} · #{conv}"},
    # --- buttons ---
    "btn.form": {"id": "📝 Identitas", "en": "📝 Identity"},
    "btn.urgent": {"id": "🚨 Mendesak", "en": "🚨 Urgent"},
    "btn.hand_off": {"id": "🤝 Serahkan ke konselor", "en": "🤝 Hand off to a counselor"},
    "btn.close.tuntas": {"id": "✅ Tuntas", "en": "✅ Done"},
    "btn.close.ulang": {"id": "🔁 Ulang", "en": "🔁 Repeat"},
    "btn.close.rujukan": {"id": "↗️ Rujukan", "en": "↗️ Referred"},
    "btn.claim": {"id": "🙋 Ambil kasus", "en": "🙋 Take the case"},
    # --- answers to staff ---
    "staff.help_admin": {
        "id": "<b>Bantuan admin</b>\n"
        "• Tulis di topik percakapan (atau balas pesan bot) untuk menjawab klien; jawaban "
        "dikirim atas nama kantor.\n"
        "• Baris yang diawali // adalah catatan internal, tidak dikirim.\n"
        "• /serahkan — serahkan ke konselor\n"
        "• /tutup tuntas|ulang — tutup percakapan; /rujuk TUJUAN alasan — tutup sebagai "
        "rujukan (TUJUAN: uptd, puskesmas, rs, polisi, lbh, atau «lain Nama lembaga»)\n"
        "• /identitas — data klien yang tercatat; /identitas lalu baris «Nama: …» untuk "
        "mengisi atau mengubahnya\n"
        "• /catatan teks — catatan internal\n"
        "• /gabung N — klien percakapan N adalah orang yang sama dengan klien di sini\n"
        "• /jadwal — jadwal piket konselor; /jadwal besok +Nama atau -Nama untuk mengubah\n"
        "• Pengaduan: /pengaduan (lalu baris «Label: isi»), /klarifikasi teks, /tanggapan teks "
        "(terkirim ke pengadu dengan permintaan umpan balik), /selesai laporan\n"
        "• Psikoedukasi: /psikoedukasi (lalu baris «Label: isi»), /terima [tanggal], "
        "/tolak alasan\n"
        "• /bantuan — pesan ini",
        "en": "<b>Admin help</b>\n"
        "• Write in a conversation's topic (or reply to the bot's post) to answer the client; "
        "the answer is sent in the office's name.\n"
        "• Lines starting with // are internal notes and are not sent.\n"
        "• /serahkan — hand off to a counselor\n"
        "• /tutup tuntas|ulang — close the conversation; /rujuk TARGET reason — close it as "
        "referred (TARGET: uptd, puskesmas, rs, polisi, lbh, or «lain Body name»)\n"
        "• /identitas — what we know of the client; /identitas then «Nama: …» lines to fill "
        "it in or correct it\n"
        "• /catatan text — internal note\n"
        "• /gabung N — the client of conversation N is the same person as this one\n"
        "• /jadwal — the counselors' duty roster; /jadwal besok +Name or -Name to change it\n"
        "• Complaints: /pengaduan (then «Label: value» lines), /klarifikasi text, /tanggapan "
        "text (sent to the complainant with a request for feedback), /selesai report\n"
        "• Psychoeducation: /psikoedukasi (then «Label: value» lines), /terima [date], "
        "/tolak reason\n"
        "• /bantuan — this message",
    },
    "staff.help_counselor": {
        "id": "<b>Bantuan konselor</b>\n"
        "• Kasus yang ditawarkan datang ke sini dengan tombol «Ambil kasus».\n"
        "• Balas (reply) pesan kasus untuk menjawab klien, atau pilih kasus dengan /kasus N "
        "lalu tulis pesan.\n"
        "• /kasus — daftar kasus Anda\n"
        "• /ambil N — ambil kasus #N (juga untuk ketua)\n"
        "• /lepas — kembalikan kasus ke antrean\n"
        "• /tutup tuntas|ulang — tutup kasus; /rujuk TUJUAN alasan — rujuk (TUJUAN: uptd, "
        "puskesmas, rs, polisi, lbh, atau «lain Nama lembaga»); surat rujukan dikirim ke sini\n"
        "• /catatan teks — catatan internal\n"
        "• /jadwal — jadwal piket\n"
        "• /rekam — rekam psikologis kasus terpilih (terenkripsi); /rekam lalu baris "
        "«Keluhan: …», «Asesmen: …», «Intervensi: …», «Rencana: …», «Hasil: …»\n"
        "• Ketua: /disposisi BIDANG catatan (balas pesan pengaduan); /psikoedukasi — jadwal "
        "psikoedukasi; /laporan [2026-11] — laporan bulanan (XLSX dan grafik); /buka N Nama — "
        "membuka kasus N kepada petugas lain; /ekspor N — semua data klien kasus N (hak akses); "
        "/hapus N — menghapus data pribadi klien kasus N atas permintaannya",
        "en": "<b>Counselor help</b>\n"
        "• Offered cases arrive here with a «Take the case» button.\n"
        "• Reply to a case message to answer the client, or select a case with /kasus N and "
        "then write.\n"
        "• /kasus — your cases\n"
        "• /ambil N — take case #N (the head too)\n"
        "• /lepas — put the case back in the queue\n"
        "• /tutup tuntas|ulang — close the case; /rujuk TARGET reason — refer it (TARGET: uptd, "
        "puskesmas, rs, polisi, lbh, or «lain Body name»); the referral letter comes here\n"
        "• /catatan text — internal note\n"
        "• /jadwal — the duty roster\n"
        "• /rekam — the selected case's psychological record (encrypted); /rekam and then "
        "«Keluhan: …», «Asesmen: …», «Intervensi: …», «Rencana: …», «Hasil: …» lines\n"
        "• Head: /disposisi DIVISION note (reply to the complaint's message); /psikoedukasi — "
        "the psychoeducation sessions; /laporan [2026-11] — the monthly report (XLSX, charts); "
        "/buka N Name — open case N to another staff member; /ekspor N — everything held about "
        "case N's client (right of access); /hapus N — erase the personal data of case N's "
        "client on their request",
    },
    "staff.not_staff": {
        "id": "Perintah ini hanya untuk petugas.",
        "en": "This command is for staff only.",
    },
    "staff.roster_week": {
        "id": "📅 <b>Jadwal piket konselor</b>\n{days}\n\n<i>Ubah satu hari: /jadwal besok +Nama, "
        "/jadwal senin -Nama, /jadwal 30/11 +Nama</i>",
        "en": "📅 <b>Counselors' duty roster</b>\n{days}\n\n<i>Change a day: /jadwal besok +Name, "
        "/jadwal monday -Name, /jadwal 30/11 +Name</i>",
    },
    "staff.roster_nobody": {"id": "— tidak ada —", "en": "— nobody —"},
    "staff.roster_closed": {"id": "(libur)", "en": "(closed)"},
    "staff.roster_changed": {
        "id": "✅ Jadwal {day} diubah: {changes}.",
        "en": "✅ Roster of {day} changed: {changes}.",
    },
    "staff.roster_usage": {
        "id": "Tulis /jadwal untuk melihat jadwal, atau /jadwal HARI +Nama / -Nama untuk "
        "mengubah satu hari. HARI: hari ini, besok, senin … minggu, atau tanggal 30/11.",
        "en": "Write /jadwal to see the roster, or /jadwal DAY +Name / -Name to change one day. "
        "DAY: today, tomorrow, monday … sunday, or a date such as 30/11.",
    },
    "staff.roster_past": {
        "id": "Hari yang sudah lewat tidak dapat diubah.",
        "en": "A day already past cannot be changed.",
    },
    "staff.roster_unknown": {
        "id": 'Konselor "{name}" tidak dikenal. Konselor: {names}.',
        "en": 'No counselor called "{name}". Counselors: {names}.',
    },
    "staff.roster_denied": {
        "id": "Hanya ketua dan admin yang dapat mengubah jadwal piket.",
        "en": "Only the head and the admins may change the duty roster.",
    },
    "staff.roster_none": {
        "id": "Belum ada konselor di konfigurasi ([[staff]] dengan role konselor).",
        "en": "No counselors are configured yet ([[staff]] with role konselor).",
    },
    "staff.record_private": {
        "id": "Rekam psikologis hanya ditulis dan dibaca di chat pribadi dengan bot, tidak di "
        "grup.",
        "en": "Psychological records are written and read only in the private chat with the "
        "bot, never in a group.",
    },
    "staff.record_saved": {
        "id": "🔒 Rekam psikologis kasus #{conv} versi {version} tersimpan (terenkripsi): {parts}.",
        "en": "🔒 Psychological record of case #{conv} version {version} saved (encrypted): "
        "{parts}.",
    },
    "staff.record_usage": {
        "id": "Tulis /rekam lalu baris-baris «Keluhan: …», «Asesmen: …», «Intervensi: …», "
        "«Rencana: …», «Hasil: …» (boleh sebagian; bagian lain tetap dari versi sebelumnya).",
        "en": "Write /rekam and then «Keluhan: …», «Asesmen: …», «Intervensi: …», «Rencana: …», "
        "«Hasil: …» lines (some are enough; the others stay as in the last version).",
    },
    "staff.record_denied": {
        "id": "Rekam psikologis kasus #{conv} hanya untuk konselor kasus itu dan ketua. "
        "Percobaan ini tercatat.",
        "en": "The psychological record of case #{conv} is for its counselor and the head only. "
        "This attempt is logged.",
    },
    "staff.record_none": {
        "id": "Belum ada rekam psikologis untuk kasus #{conv}. Tulis /rekam lalu baris "
        "«Keluhan: …», «Asesmen: …», «Intervensi: …», «Rencana: …», «Hasil: …».",
        "en": "No psychological record for case #{conv} yet. Write /rekam and then «Keluhan: …», "
        "«Asesmen: …», «Intervensi: …», «Rencana: …», «Hasil: …» lines.",
    },
    "staff.record": {
        "id": "🔒 <b>Rekam psikologis kasus #{conv}</b> (versi {version})\n{parts}",
        "en": "🔒 <b>Psychological record of case #{conv}</b> (version {version})\n{parts}",
    },
    "staff.report_head_only": {
        "id": "Laporan bulanan hanya dikirim kepada ketua (berisi data pribadi klien).",
        "en": "The monthly report goes to the head only (it holds clients' personal data).",
    },
    "staff.report_usage": {
        "id": "Tulis /laporan untuk bulan lalu, atau /laporan 2026-11 untuk bulan tertentu.",
        "en": "Write /laporan for last month, or /laporan 2026-11 for a given month.",
    },
    "staff.report_sent": {
        "id": "📊 Laporan {month} disiapkan: {files} berkas (XLSX dan grafik) menyusul di chat "
        "ini.",
        "en": "📊 The report for {month} is ready: {files} files (XLSX and charts) follow in "
        "this chat.",
    },
    "staff.open_usage": {
        "id": "Tulis /buka NOMOR-KASUS NAMA, misalnya /buka 12 Nyoman (hanya ketua).",
        "en": "Write /buka CASE-NUMBER NAME, e.g. /buka 12 Nyoman (the head only).",
    },
    "staff.open_head_only": {
        "id": "Hanya ketua yang dapat membuka kasus kepada petugas lain. Percobaan ini tercatat.",
        "en": "Only the head may open a case to another staff member. This attempt is logged.",
    },
    "staff.opened": {
        "id": "Kasus #{conv} dibuka untuk {name}: riwayatnya terkirim kepadanya dan rekam "
        "psikologisnya dapat ia baca. Tercatat di log audit.",
        "en": "Case #{conv} is open to {name}: the history was sent to them and they may read "
        "its psychological record. Logged in the audit log.",
    },
    "staff.denied": {
        "id": "Anda tidak berwenang untuk tindakan ini pada kasus #{conv}.",
        "en": "You may not do this on case #{conv}.",
    },
    "staff.not_now": {
        "id": "Tidak bisa sekarang: kasus #{conv} berstatus «{state}».",
        "en": "Not possible now: case #{conv} is «{state}».",
    },
    "staff.taken_by": {
        "id": "Kasus #{conv} sudah diambil oleh {by}.",
        "en": "Case #{conv} was already taken by {by}.",
    },
    "staff.claimed": {"id": "Kasus #{conv} sekarang milik Anda.", "en": "Case #{conv} is yours."},
    "staff.no_case": {
        "id": "Kasus tidak ditemukan. Tulis di topik percakapan, balas pesan kasus, atau pilih "
        "dengan /kasus N.",
        "en": "No case found. Write in the conversation's topic, reply to a case message, or "
        "select one with /kasus N.",
    },
    "staff.focus": {
        "id": "Kasus #{conv} dipilih: pesan Anda berikutnya dikirim ke klien {name}.",
        "en": "Case #{conv} selected: your next messages go to client {name}.",
    },
    "staff.my_cases": {"id": "Kasus Anda: {cases}", "en": "Your cases: {cases}"},
    "staff.no_cases": {"id": "Anda tidak sedang menangani kasus.", "en": "You have no cases."},
    "staff.link_usage": {
        "id": "Tulis /gabung diikuti nomor percakapan lain milik orang yang sama, "
        "misalnya /gabung 12.",
        "en": "Write /gabung and the number of the other conversation of the same person, "
        "e.g. /gabung 12.",
    },
    "staff.linked": {
        "id": "🔗 Klien percakapan #{other} dan #{conv} adalah orang yang sama: kontaknya "
        "digabung; percakapan yang masih terbuka disatukan.",
        "en": "🔗 The clients of #{other} and #{conv} are the same person: their contacts are "
        "joined; open conversations are merged.",
    },
    "staff.note_saved": {
        "id": "📝 Catatan internal disimpan (tidak dikirim ke klien).",
        "en": "📝 Internal note saved (not sent to the client).",
    },
    "staff.refer_usage": {
        "id": "Tulis tujuan dan alasan rujukan, misalnya:\n/rujuk uptd korban KDRT perlu "
        "pendampingan hukum\nTujuan: uptd, puskesmas, rs, polisi, lbh, atau «lain Nama "
        "lembaga» (alasan di baris berikutnya).",
        "en": "Give where to and why, for example:\n/rujuk uptd a victim of domestic violence "
        "needs legal support\nTargets: uptd, puskesmas, rs, polisi, lbh, or «lain Body name» "
        "(the reason on the next line).",
    },
    "staff.refer_private": {
        "id": "Kasus ini sedang dalam konseling: tulis /rujuk di chat pribadi dengan bot, bukan "
        "di grup (alasan rujukan adalah isi konseling).",
        "en": "This case is in counseling: write /rujuk in your private chat with the bot, not "
        "in the group (the reason for a referral is counseling content).",
    },
    "staff.refer_how": {"id": "Tulis /rujuk TUJUAN alasan", "en": "Write /rujuk TARGET reason"},
    "staff.referred": {
        "id": "Kasus #{conv} ditutup: dirujuk ke {place}. Surat rujukan dikirim ke chat pribadi "
        "Anda.",
        "en": "Case #{conv} closed: referred to {place}. The referral letter is on its way to "
        "your private chat.",
    },
    "staff.export_usage": {
        "id": "Tulis /ekspor N (N: nomor kasus) untuk menerima semua data yang disimpan tentang "
        "kliennya.",
        "en": "Write /ekspor N (N: the case number) to receive everything held about its client.",
    },
    "staff.export_head_only": {
        "id": "Hanya ketua yang dapat mengekspor data klien.",
        "en": "Only the head can export a client's data.",
    },
    "staff.export_private": {
        "id": "Data klien hanya dikirim di chat pribadi: tulis /ekspor N kepada bot secara "
        "pribadi.",
        "en": "A client's data is only sent in a private chat: write /ekspor N to the bot "
        "privately.",
    },
    "staff.exported": {
        "id": "Data klien kasus #{conv} dikirim ke sini ({count} berkas: JSON dan teks). "
        "Serahkan kepada klien secara aman, lalu hapus berkasnya. Tercatat di log audit.",
        "en": "The data of case #{conv}'s client is on its way here ({count} files: JSON and "
        "text). Hand it to the client safely, then delete the files. It is in the audit log.",
    },
    "staff.forget_usage": {
        "id": "Tulis /hapus N (N: nomor kasus) untuk menghapus data pribadi kliennya.",
        "en": "Write /hapus N (N: the case number) to erase its client's personal data.",
    },
    "staff.forget_head_only": {
        "id": "Hanya ketua yang dapat menghapus data klien.",
        "en": "Only the head can erase a client's data.",
    },
    "staff.forget_confirm": {
        "id": "Ini menghapus untuk selamanya nama, alamat, isi pesan, lampiran, formulir "
        "(kecuali usia dan jenis kelamin), berkas pengaduan, rekam psikologis dan surat rujukan "
        "klien kasus #{conv}, di semua percakapannya, juga topiknya di grup admin. Angka laporan "
        "tetap. Salinan di chat pribadi petugas tidak ikut terhapus: hapus sendiri bila perlu.\n"
        "Tulis /hapus {conv} YA untuk melanjutkan.",
        "en": "This erases for good the name, addresses, messages, attachments, form (except "
        "age and gender), complaint files, psychological record and referral letters of case "
        "#{conv}'s client, in all their conversations, and their topics in the admin group. "
        "Report figures stay. Copies in staff's private chats are not erased: delete them "
        "yourself if needed.\n"
        "Write /hapus {conv} YA to go on.",
    },
    "staff.forgotten": {
        "id": "Data pribadi klien kasus #{conv} telah dihapus ({count} percakapan). Tercatat "
        "di log audit.",
        "en": "The personal data of case #{conv}'s client is erased ({count} conversations). "
        "It is in the audit log.",
    },
    "staff.close_usage": {
        "id": "Tulis hasilnya: /tutup tuntas, /tutup ulang, atau /rujuk TUJUAN alasan.",
        "en": "Give the outcome: /tutup tuntas, /tutup ulang, or /rujuk TARGET reason.",
    },
    "staff.identity": {
        "id": "<b>Identitas klien #{conv}</b>\nNama: {name}\nKontak: {contacts}\nStatus: {state}\n"
        "Nomor registrasi: {register}\n{fields}\n"
        "<i>Isi atau ubah: /identitas lalu baris «Nama: …», «Usia: …» (satu per baris).</i>",
        "en": "<b>Client of #{conv}</b>\nName: {name}\nContacts: {contacts}\nState: {state}\n"
        "Register number: {register}\n{fields}\n"
        "<i>Fill in or correct: /identitas then lines «Nama: …», «Usia: …» (one a line).</i>",
    },
    "staff.identity_saved": {
        "id": "Tersimpan: {fields}.",
        "en": "Saved: {fields}.",
    },
    "staff.identity_nothing": {
        "id": "Tidak ada baris «Label: isi» yang dikenali. "
        "Contoh: /identitas\nNama: Siti\nUsia: 34",
        "en": "No «Label: value» line recognised. Example: /identitas\nNama: Siti\nUsia: 34",
    },
    "staff.identity_wrong": {
        "id": "Belum tersimpan — {field}: {problem}",
        "en": "Not saved — {field}: {problem}",
    },
    "staff.done": {"id": "Beres.", "en": "Done."},
    "staff.dead_letter": {
        "id": "⚠️ Satu pesan Telegram (update {id}) tidak dapat diproses setelah beberapa kali "
        "dicoba. Isinya disimpan utuh di basis data (tabel dead_letter); mohon beri tahu "
        "pengelola sistem.",
        "en": "⚠️ One Telegram message (update {id}) could not be handled after several tries. "
        "It is kept whole in the database (table dead_letter); please tell the system admin.",
    },
    "staff.error": {
        "id": "Maaf, permintaan ini tidak dapat diproses. Periksa perintahnya (/bantuan).",
        "en": "Sorry, this request could not be handled. Check the command (/bantuan).",
    },
    "staff.old_button": {
        "id": "Tombol ini dari putaran sebelumnya kasus #{conv}; pakai pesan yang terbaru.",
        "en": "This button is from an earlier round of case #{conv}; use the newest message.",
    },
    "staff.anonymous": {
        "id": "Pesan admin anonim tidak dapat diproses: matikan «Tetap anonim» di hak admin Anda.",
        "en": "Anonymous admin messages cannot be handled: turn off «Remain anonymous».",
    },
    "staff.edit_not_sent": {
        "id": "Perubahan pesan tidak dikirim ke klien. Kirim pesan baru bila perlu.",
        "en": "Edits are not sent to the client. Send a new message if needed.",
    },
    "staff.no_counselors": {
        "id": "⚠️ Belum ada konselor terdaftar (peran konselor di [[staff]]), jadi tidak ada yang "
        "menerima tawaran kasus. Ketua dapat mengambilnya dengan /ambil {conv}.",
        "en": "⚠️ No counselor is configured (role konselor in [[staff]]), so nobody received the "
        "offer. The head can take it with /ambil {conv}.",
    },
}
