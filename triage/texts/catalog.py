"""Message catalogue: every client- and staff-facing text, Bahasa Indonesia first, English too.

Texts are looked up by key; `{placeholders}` are filled by `text()`. Adding a text means adding
both languages here (a test checks every key has both).
"""

from __future__ import annotations

from typing import Literal

from triage.texts.telegram import TELEGRAM_TEXTS

Lang = Literal["id", "en"]
DEFAULT_LANG: Lang = "id"

TEXTS: dict[str, dict[Lang, str]] = {
    # conversation states
    "state.new": {"id": "Baru", "en": "New"},
    "state.with_admin": {"id": "Ditangani admin", "en": "With admin"},
    "state.handed_off": {"id": "Diserahkan ke konselor", "en": "Handed off"},
    "state.with_counselor": {"id": "Dengan konselor", "en": "With counselor"},
    "state.closed": {"id": "Selesai", "en": "Closed"},
    # outcomes
    "outcome.tuntas": {"id": "Tuntas", "en": "Done"},
    "outcome.ulang": {"id": "Ulang", "en": "Repeat"},
    "outcome.rujukan": {"id": "Rujukan", "en": "Referred"},
    # channels
    "channel.email": {"id": "Email", "en": "Email"},
    "channel.instagram": {"id": "Instagram", "en": "Instagram"},
    "channel.hotline": {"id": "Hotline", "en": "Hotline"},
    # SOP steps
    "step.received": {"id": "Pesan diterima", "en": "Received"},
    "step.first_admin_response": {"id": "Tanggapan admin", "en": "First admin response"},
    "step.form_completed": {"id": "Formulir identitas lengkap", "en": "Identity form complete"},
    "step.handed_off": {"id": "Diserahkan ke konselor", "en": "Handed off"},
    "step.claimed": {"id": "Diambil konselor", "en": "Claimed by counselor"},
    "step.first_counselor_response": {
        "id": "Tanggapan konselor",
        "en": "First counselor response",
    },
    "step.closed": {"id": "Ditutup", "en": "Closed"},
    # inbox table (CLI and demo)
    "inbox.title": {"id": "Kotak masuk terpadu", "en": "Unified inbox"},
    "inbox.col.no": {"id": "No.", "en": "No."},
    "inbox.col.client": {"id": "Klien", "en": "Client"},
    "inbox.col.channel": {"id": "Kanal", "en": "Channel"},
    "inbox.col.state": {"id": "Status", "en": "State"},
    "inbox.col.messages": {"id": "Pesan", "en": "Messages"},
    "inbox.col.last": {"id": "Pesan terakhir", "en": "Last message"},
    "inbox.col.steps": {"id": "Langkah (waktu)", "en": "Steps (time)"},
    "inbox.empty": {"id": "Belum ada percakapan.", "en": "No conversations yet."},
    "outbox.failed_title": {
        "id": "Pesan keluar yang gagal dikirim",
        "en": "Outgoing messages that failed",
    },
    # demo narration
    "demo.title": {
        "id": "Demo Puspaga Inbox: seluruh alur di mesin ini, tanpa akun dan tanpa jaringan",
        "en": "Puspaga Inbox demo: the whole pipeline on this machine, no accounts, no network",
    },
    "demo.data": {"id": "Basis data demo: {path}", "en": "Demo database: {path}"},
    "demo.polled": {
        "id": "Menarik pesan dari semua kanal: {count} pesan baru tersimpan.",
        "en": "Polled every channel: {count} new messages stored.",
    },
    "demo.repolled": {
        "id": "Menarik ulang dengan kursor tersimpan: {count} pesan baru (tidak ada duplikat).",
        "en": "Polled again from the saved cursors: {count} new messages (no duplicates).",
    },
    "demo.replayed": {
        "id": "Semua pesan dikirim ulang tanpa kursor: {stored} tersimpan, {dupes} dikenali "
        "sebagai duplikat.",
        "en": "Every message replayed without cursors: {stored} stored, {dupes} recognised as "
        "duplicates.",
    },
    "demo.step": {"id": "{time}  {who}: {what}", "en": "{time}  {who}: {what}"},
    "demo.reply": {"id": "membalas {client}", "en": "replies to {client}"},
    "demo.handoff": {
        "id": "menyerahkan percakapan {conv} ke konselor",
        "en": "hands conversation {conv} to the counselors",
    },
    "demo.claim": {"id": "mengambil kasus {conv}", "en": "claims case {conv}"},
    "demo.claim_lost": {
        "id": "mencoba mengambil kasus {conv}: sudah diambil konselor lain",
        "en": "tries to claim case {conv}: already taken by another counselor",
    },
    "demo.referred": {
        "id": "merujuk kasus {conv} ke UPTD PPA; surat rujukan {file} (tersegel) dikirim ke "
        "chat pribadinya",
        "en": "refers case {conv} to UPTD PPA; the referral letter {file} (sealed) goes to "
        "their private chat",
    },
    "demo.survey": {
        "id": "menjawab survei kepuasan «4 4 3»; percakapan dibuka lagi: {reopened}",
        "en": "answers the satisfaction survey «4 4 3»; conversation reopened: {reopened}",
    },
    "demo.yes": {"id": "ya", "en": "yes"},
    "demo.no": {"id": "tidak", "en": "no"},
    "demo.forgotten": {
        "id": "menghapus data pribadi {client} atas permintaannya (kasus {conv}); angka "
        "laporan tetap",
        "en": "erases {client}'s personal data on their request (case {conv}); report figures stay",
    },
    "demo.close": {"id": "menutup kasus {conv}: {outcome}", "en": "closes case {conv}: {outcome}"},
    "demo.link": {
        "id": "menautkan email dan Instagram {client} menjadi satu klien",
        "en": "links {client}'s email and Instagram into one client",
    },
    "demo.denied": {
        "id": "mencoba membalas kasus {conv}: ditolak (kasus milik konselor)",
        "en": "tries to reply in case {conv}: refused (the case is the counselor's)",
    },
    "demo.dispatched": {
        "id": "Kotak keluar: {sent} pesan terkirim ke klien di kanalnya masing-masing, "
        "{failed} gagal.",
        "en": "Outbox: {sent} messages delivered to clients on their own channels, "
        "{failed} failed.",
    },
    "demo.delivered": {
        "id": "  → {channel} {recipient}: {text}",
        "en": "  → {channel} {recipient}: {text}",
    },
    "demo.done": {
        "id": "Selesai. Lihat juga: puspaga inbox --json --config {config}",
        "en": "Done. See also: puspaga inbox --json --config {config}",
    },
    # demo, second act: the real bot against the local Bot API server
    "demo.mail.title": {
        "id": "Babak email: adaptor email sungguhan dengan server surat di komputer ini",
        "en": "Email act: the real email adapter with a mail server on this machine",
    },
    "demo.mail.missing": {
        "id": "Dovecot belum terpasang, babak email dilewati. Pasang: "
        "sudo apt-get install dovecot-imapd, lalu jalankan make demo lagi.",
        "en": "Dovecot is not installed, so the email act is skipped. Install it: "
        "sudo apt-get install dovecot-imapd, then run make demo again.",
    },
    "demo.mail.servers": {
        "id": "Server IMAP (Dovecot) di 127.0.0.1:{imap}, SMTP di 127.0.0.1:{smtp}",
        "en": "IMAP server (Dovecot) on 127.0.0.1:{imap}, SMTP on 127.0.0.1:{smtp}",
    },
    "demo.mail.taken": {
        "id": "Email diambil dari kotak surat: {count}; diambil lagi: {again} "
        "(tidak ada yang dobel)",
        "en": "Mails taken from the mailbox: {count}; taken again: {again} (nothing doubled)",
    },
    "demo.mail.robot": {
        "id": "  ← email otomatis, tidak dibalas",
        "en": "  ← automatic mail, not answered",
    },
    "demo.mail.sent": {
        "id": "Balasan admin terkirim lewat SMTP ke {to}, subjek «{subject}», "
        "In-Reply-To {in_reply_to}",
        "en": "The admin's reply went out over SMTP to {to}, subject «{subject}», "
        "In-Reply-To {in_reply_to}",
    },
    "demo.mail.joined": {
        "id": "Jawaban klien masuk ke percakapannya sendiri, dengan kutipan email lama "
        "disembunyikan ({count} pesan)",
        "en": "The client's answer joined her conversation, its quoted history hidden "
        "({count} messages)",
    },
    "demo.mail.robot_unanswered": {
        "id": "Email yang terkirim: {sent} (email otomatis tidak pernah dibalas otomatis)",
        "en": "Mails sent: {sent} (automatic mail is never answered automatically)",
    },
    "demo.ig.title": {
        "id": "Babak Instagram: adaptor Instagram sungguhan (instagrapi) dengan pengganti "
        "Instagram di komputer ini",
        "en": "Instagram act: the real Instagram adapter (instagrapi) with a stand-in for "
        "Instagram on this machine",
    },
    "demo.ig.taken": {
        "id": "Pesan Instagram diambil: {count} (pesan kami sendiri dikenali dan dilewati); "
        "diambil lagi: {again}",
        "en": "Instagram messages taken: {count} (our own message recognised and skipped); "
        "taken again: {again}",
    },
    "demo.ig.sent": {
        "id": "Balasan admin terkirim lewat direct_send: {sent} (panggilan: {calls}); "
        "permintaan pesan dari orang baru diterima: {approved}",
        "en": "The admin's reply went out with direct_send: {sent} (calls: {calls}); the "
        "stranger's message request was accepted: {approved}",
    },
    "demo.tg.title": {
        "id": "Babak 2: bot Telegram sungguhan melawan server Bot API lokal",
        "en": "Act 2: the real Telegram bot against the local Bot API server",
    },
    "demo.tg.server": {
        "id": "Server Bot API lokal: {url} (tanpa internet)",
        "en": "Local Bot API server: {url} (no internet)",
    },
    "demo.tg.start": {
        "id": "Klien Rina membuka hotline (/start): salam, jam layanan, permintaan persetujuan.",
        "en": "Client Rina opens the hotline (/start): greeting, hours, consent request.",
    },
    "demo.tg.form": {
        "id": "Formulir identitas ditanyakan satu per satu (lewati / ubah / batal); Rina "
        "menjawab namanya, lalu menceritakan masalahnya.",
        "en": "The identity form is asked one question at a time (skip / back / stop); Rina "
        "gives her name, then tells her story.",
    },
    "demo.tg.crisis": {
        "id": "Pesan itu mendesak (kekerasan pada anak): balasan pertama yang aman langsung "
        "terkirim, kasus ditandai MENDESAK, konselor dan ketua diberi tahu.",
        "en": "That message is urgent (violence against a child): the safe first reply went out "
        "at once, the case is marked URGENT, the counselors and the head are alerted.",
    },
    "demo.tg.topic": {
        "id": "Topik baru di grup admin: «{name}», dengan kartu kendali.",
        "en": "New topic in the admin group: «{name}», with the control card.",
    },
    "demo.tg.admin_reply": {
        "id": "Admin Wayan menjawab di topik; baris // tetap catatan internal.",
        "en": "Admin Wayan answers in the topic; the // line stays an internal note.",
    },
    "demo.tg.handoff": {
        "id": "Admin menekan «Serahkan ke konselor»: Made dan Nyoman menerima tawaran.",
        "en": "The admin taps «Hand off»: Made and Nyoman receive the offer.",
    },
    "demo.tg.held": {
        "id": "Klien menulis lagi: pesan ditahan, tidak tampil di grup admin.",
        "en": "The client writes again: held, not shown in the admin group.",
    },
    "demo.tg.claim": {
        "id": "Made menekan «Ambil kasus» lebih dulu dan menerima riwayat kasus.",
        "en": "Made taps «Take the case» first and receives the case so far.",
    },
    "demo.tg.claim_lost": {
        "id": "Nyoman menekan sesudahnya: «sudah diambil oleh Made».",
        "en": "Nyoman taps after: «already taken by Made».",
    },
    "demo.tg.counseling": {
        "id": "Konseling berjalan di chat pribadi Made dengan bot; klien menerima jawaban atas "
        "nama kantor.",
        "en": "Counseling goes on in Made's private chat with the bot; the client gets the "
        "answers in the office's name.",
    },
    "demo.tg.record": {
        "id": "Made menulis rekam psikologis (/rekam): disimpan terenkripsi, dapat dibaca hanya "
        "oleh Made dan ketua, setiap akses tercatat.",
        "en": "Made writes the psychological record (/rekam): stored encrypted, readable only by "
        "Made and the head, every access logged.",
    },
    "demo.tg.closed": {
        "id": "Made merujuk kasus ke UPTD PPA (/rujuk uptd …); topik di grup admin ditutup, "
        "surat rujukan {file} (dengan kronologi dan rekam psikologis) masuk ke chat pribadinya.",
        "en": "Made refers the case to UPTD PPA (/rujuk uptd …); the admin topic is closed and "
        "the referral letter {file} (with the chronology and the record) arrives in his "
        "private chat.",
    },
    "demo.tg.survey": {
        "id": "Rina tidak dikirimi survei kepuasan: kasus kekerasan yang mendesak (pesan tak "
        "terduga di ponsel bersama bisa membahayakannya).",
        "en": "Rina is not sent the satisfaction survey: an urgent violence case (an unexpected "
        "message on a shared phone could endanger her).",
    },
    "demo.tg.confidential": {
        "id": "Diperiksa: {posts} pesan di grup admin, tidak satu pun berisi isi konseling.",
        "en": "Checked: {posts} posts in the admin group, none with counseling content.",
    },
    "demo.tg.roster": {
        "id": "Admin melihat dan mengubah jadwal piket besok (/jadwal besok -Nyoman):",
        "en": "The admin sees and changes tomorrow's duty roster (/jadwal besok -Nyoman):",
    },
    "demo.tg.waiting": {
        "id": "Klien kedua menulis, dan tidak ada yang menjawab. Jam layanan dimajukan ke "
        "target {minutes} menit layanan sesudah pesannya (jam berhenti di luar jam layanan):",
        "en": "A second client writes and nobody answers. The clock is moved to {minutes} service "
        "minutes after the message (the clock stops outside service hours):",
    },
    "demo.tg.escalation": {
        "id": "Masih belum dijawab {minutes} menit layanan sesudah target: ketua diberi tahu.",
        "en": "Still unanswered {minutes} service minutes after the target: the head is told.",
    },
    "demo.wf.complaint": {
        "id": "Pengaduan (SOP 4 hari kerja): klien mengadu lewat hotline.",
        "en": "A complaint (4 working days): a client complains on the hotline.",
    },
    "demo.wf.facts": {
        "id": "Admin melengkapi data pengaduan (/pengaduan); ketua menerima untuk disposisi, "
        "lalu tanggapan, umpan balik, dan laporan penutup:",
        "en": "The admin completes the complaint (/pengaduan); the head receives it for "
        "disposition, then the response, the feedback and the closing report:",
    },
    "demo.wf.psychoed": {
        "id": "Permohonan psikoedukasi dari sekolah (dijawab dalam 3×24 jam, paling cepat "
        "seminggu lagi):",
        "en": "A school asks for psychoeducation (answered within 3×24 hours, a week ahead "
        "at the earliest):",
    },
    # --- the monthly report (bot.files.report) ---
    "report.title": {"id": "Laporan {office} bulan {month}", "en": "{office} report, {month}"},
    "report.total": {"id": "Jumlah klien (kasus)", "en": "Clients (cases)"},
    "report.count": {"id": "Jumlah", "en": "Count"},
    "report.channel": {"id": "Menurut kanal", "en": "By channel"},
    "report.category": {"id": "Menurut kategori layanan", "en": "By category"},
    "report.gender": {"id": "Menurut jenis kelamin", "en": "By gender"},
    "report.age": {"id": "Menurut kelompok umur", "en": "By age group"},
    "report.outcome": {"id": "Menurut hasil layanan", "en": "By outcome"},
    "report.urgent": {"id": "Kasus mendesak", "en": "Urgent cases"},
    "report.referrals": {"id": "Rujukan", "en": "Referrals"},
    "report.col.referral": {"id": "Dirujuk ke", "en": "Referred to"},
    "report.survey": {
        "id": "Survei kepuasan (SKM, skala 1–4)",
        "en": "Satisfaction survey (SKM, 1–4)",
    },
    "report.survey.asked": {"id": "Survei dikirim", "en": "Surveys sent"},
    "report.survey.answered": {"id": "Survei dijawab", "en": "Surveys answered"},
    "report.survey.rate": {"id": "% dijawab", "en": "% answered"},
    "report.survey.q.kemudahan": {
        "id": "Kemudahan layanan (rata-rata)",
        "en": "Ease of service (mean)",
    },
    "report.survey.q.kecepatan": {
        "id": "Kecepatan layanan (rata-rata)",
        "en": "Speed of service (mean)",
    },
    "report.survey.q.perilaku": {
        "id": "Kesopanan dan keramahan petugas (rata-rata)",
        "en": "Staff courtesy and friendliness (mean)",
    },
    "report.survey.index": {"id": "Indeks kepuasan (25–100)", "en": "Satisfaction index (25–100)"},
    "report.survey.grade": {"id": "Mutu layanan (A–D)", "en": "Service grade (A–D)"},
    "referral.target.uptd_ppa": {
        "id": "UPTD PPA",
        "en": "UPTD PPA (women and children protection)",
    },
    "referral.target.puskesmas": {"id": "Puskesmas", "en": "Community health centre (Puskesmas)"},
    "referral.target.rumah_sakit": {"id": "Rumah sakit", "en": "Hospital"},
    "referral.target.polisi": {"id": "Kepolisian", "en": "Police"},
    "referral.target.lbh": {"id": "Lembaga Bantuan Hukum (LBH)", "en": "Legal aid (LBH)"},
    "referral.target.lainnya": {"id": "Lembaga lain", "en": "Another body"},
    "letter.number": {"id": "Nomor", "en": "Number"},
    "letter.about": {"id": "Perihal", "en": "Subject"},
    "letter.about_value": {"id": ": Rujukan klien", "en": ": Client referral"},
    "letter.attachment": {"id": "Lampiran", "en": "Enclosed"},
    "letter.attachment_value": {"id": ": Kronologi penanganan", "en": ": Chronology of handling"},
    "letter.to": {"id": "Kepada Yth.\n{place}\ndi tempat", "en": "To\n{place}"},
    "letter.opening": {
        "id": "Dengan hormat,\nBersama ini {office} merujuk klien berikut untuk mendapatkan "
        "layanan lanjutan sesuai kewenangan lembaga Bapak/Ibu:",
        "en": "Dear Sir or Madam,\n{office} refers the following client to you for further "
        "services within your remit:",
    },
    "letter.field.nama": {"id": "Nama", "en": "Name"},
    "letter.field.usia": {"id": "Usia", "en": "Age"},
    "letter.field.jenis_kelamin": {"id": "Jenis kelamin", "en": "Gender"},
    "letter.field.domisili": {"id": "Domisili", "en": "Domicile"},
    "letter.field.nik": {"id": "NIK", "en": "NIK"},
    "letter.field.nomor_hp": {"id": "Nomor HP", "en": "Phone"},
    "letter.field.register": {"id": "Nomor register", "en": "Register number"},
    "letter.reason": {"id": "Alasan rujukan: ", "en": "Reason for referral: "},
    "letter.chronology": {"id": "Kronologi penanganan", "en": "Chronology of handling"},
    "letter.when": {"id": "Waktu", "en": "When"},
    "letter.what": {"id": "Penanganan", "en": "Handling"},
    "letter.step.received": {
        "id": "Klien menghubungi {office}",
        "en": "The client contacted {office}",
    },
    "letter.step.form_completed": {
        "id": "Formulir identitas klien lengkap",
        "en": "The client's identity form completed",
    },
    "letter.step.handed_off": {
        "id": "Diserahkan kepada konselor/psikolog",
        "en": "Handed to a counselor",
    },
    "letter.step.claimed": {
        "id": "Ditangani oleh konselor {counselor}",
        "en": "Taken up by counselor {counselor}",
    },
    "letter.step.closed": {"id": "Dirujuk ke {place}", "en": "Referred to {place}"},
    "letter.record": {
        "id": "Ringkasan hasil pemeriksaan psikologis",
        "en": "Summary of the psychological assessment",
    },
    "letter.closing": {
        "id": "Demikian surat rujukan ini kami sampaikan. Atas perhatian dan kerja sama "
        "Bapak/Ibu, kami ucapkan terima kasih.",
        "en": "Thank you for your attention and cooperation.",
    },
    "letter.signature": {
        "id": "{day}\nKonselor,\n\n\n{counselor}",
        "en": "{day}\nCounselor,\n\n\n{counselor}",
    },
    "letter.confidential": {
        "id": "RAHASIA: hanya untuk lembaga yang dituju. Dilindungi UU 27/2022 tentang "
        "Pelindungan Data Pribadi.",
        "en": "CONFIDENTIAL: for the addressee only. Protected by Law 27/2022 on Personal "
        "Data Protection.",
    },
    "letter.caption": {
        "id": "Surat rujukan kasus #{conv} ke {place}. Rahasia: jangan diteruskan ke grup.",
        "en": "Referral letter of case #{conv} to {place}. Confidential: do not forward to a "
        "group.",
    },
    "survey.question": {
        "id": "Terima kasih telah menghubungi {office}. Percakapan ini sudah kami tutup.\n\n"
        "Mohon bantu kami menilai layanan kami (1 = tidak baik, 2 = kurang baik, 3 = baik, "
        "4 = sangat baik):\n1. Kemudahan mendapatkan layanan\n2. Kecepatan layanan\n"
        "3. Kesopanan dan keramahan petugas\n\nBalas dengan tiga angka, misalnya: 4 3 4 "
        "(boleh ditambah saran). Jika masih ada yang ingin Anda sampaikan, tulis saja seperti "
        "biasa.",
        "en": "Thank you for contacting {office}. We have closed this conversation.\n\n"
        "Please help us rate our service (1 = poor, 2 = fair, 3 = good, 4 = very good):\n"
        "1. How easy it was to get help\n2. How quickly we helped\n"
        "3. How courteous and friendly our staff were\n\nReply with three numbers, for "
        "example: 4 3 4 (a suggestion is welcome). If there is anything else you want to "
        "tell us, just write as usual.",
    },
    "report.sheet.ringkasan": {"id": "Ringkasan", "en": "Summary"},
    "report.sheet.buku-register": {"id": "Buku register", "en": "Register book"},
    "report.sheet.sla": {"id": "Ketepatan waktu", "en": "SLA"},
    "report.col.no": {"id": "No", "en": "No"},
    "report.col.register": {"id": "Nomor register", "en": "Register number"},
    "report.col.date": {"id": "Tanggal", "en": "Date"},
    "report.col.name": {"id": "Nama", "en": "Name"},
    "report.col.age": {"id": "Usia", "en": "Age"},
    "report.col.gender": {"id": "Jenis kelamin", "en": "Gender"},
    "report.col.domicile": {"id": "Domisili", "en": "Domicile"},
    "report.col.channel": {"id": "Kanal", "en": "Channel"},
    "report.col.category": {"id": "Kategori", "en": "Category"},
    "report.col.urgent": {"id": "Mendesak", "en": "Urgent"},
    "report.col.state": {"id": "Status", "en": "State"},
    "report.col.outcome": {"id": "Hasil", "en": "Outcome"},
    "report.col.counselor": {"id": "Konselor", "en": "Counselor"},
    "report.sla.title": {"id": "Persentase dalam target waktu", "en": "Share within target"},
    "report.sla.step": {"id": "Langkah", "en": "Step"},
    "report.sla.target": {"id": "Target (menit layanan)", "en": "Target (service minutes)"},
    "report.sla.cases": {"id": "Kasus", "en": "Cases"},
    "report.sla.within": {"id": "Dalam target", "en": "Within target"},
    "report.sla.share": {"id": "% dalam target", "en": "% within target"},
    "report.sla.median": {"id": "Median (menit)", "en": "Median (minutes)"},
    "report.sla.p90": {"id": "P90 (menit)", "en": "P90 (minutes)"},
    "report.step.first_admin_response": {"id": "Jawaban pertama admin", "en": "First admin answer"},
    "report.step.handed_off": {"id": "Penyerahan ke konselor", "en": "Hand-off"},
    "report.step.claimed": {"id": "Kasus diambil konselor", "en": "Case claimed"},
    "report.step.first_counselor_response": {
        "id": "Balasan pertama konselor",
        "en": "First counselor answer",
    },
    "report.step.end_to_end": {"id": "Ujung ke ujung", "en": "End to end"},
    "demo.tg.report": {
        "id": "Ketua meminta laporan bulanan (/laporan): XLSX (ringkasan, buku register, "
        "ketepatan waktu) dan grafik, hanya di chat pribadinya.",
        "en": "The head asks for the monthly report (/laporan): XLSX (summary, register book, "
        "SLA) and charts, in the head's private chat only.",
    },
    "demo.tg.timeline": {"id": "Linimasa kasus #1", "en": "Timeline of case #1"},
    "demo.tg.col.step": {"id": "Langkah", "en": "Step"},
    "demo.tg.col.time": {"id": "Waktu", "en": "Time"},
    "demo.tg.col.took": {"id": "Durasi", "en": "Took"},
    "demo.tg.col.target": {"id": "Target", "en": "Target"},
    "demo.tg.minutes": {"id": "{n} menit", "en": "{n} min"},
    "demo.tg.end_to_end": {
        "id": "Ujung ke ujung (diterima → tanggapan konselor)",
        "en": "End to end (received → counselor response)",
    },
    # email
    "email.automatic": {
        "id": "[email otomatis ({why}): disimpan, tidak dibalas otomatis]",
        "en": "[automatic mail ({why}): kept, never answered automatically]",
    },
    "email.file_too_big": {
        "id": "[lampiran {name} tidak disimpan: {size} melebihi batas {limit}]",
        "en": "[attachment {name} not kept: {size} is over the limit of {limit}]",
    },
    "email.no_subject": {"id": "Pesan dari {office}", "en": "Message from {office}"},
    "email.empty": {"id": "[email tanpa isi teks]", "en": "[mail without text]"},
    # the office's signature under replies to clients
    "reply.signature": {"id": "— {office}", "en": "— {office}"},
}


TEXTS.update(TELEGRAM_TEXTS)  # type: ignore[arg-type]


def text(key: str, lang: Lang = DEFAULT_LANG, /, **values: object) -> str:
    entry = TEXTS[key]
    template = entry.get(lang) or entry[DEFAULT_LANG]
    return template.format(**values) if values else template
