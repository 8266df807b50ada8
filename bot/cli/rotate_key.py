"""`puspaga rotate-key`: a new key for what is sealed at rest. Safe against a crash at
any point: the key file always holds keys that open everything stored.

1. The key file gets the new key first, the old one after it (both open, the new one seals).
2. Every sealed value (psychological records, staff answers waiting in the outbox, the
   Instagram session, referral letters on disk) is sealed again with the new key (the records
   in one transaction, each file replaced whole).
3. The key file is left with the new key only: the old key no longer opens anything.

With PUSPAGA_SECRET_KEY the operator does steps 1 and 3 (put "NEW,OLD" in the variable, run
this command, then keep only NEW); `puspaga rotate-key --new-key` prints a fresh key.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from bot.app import App
from bot.service.secret_box import ENV, SecretBox, key_lines, write_keys
from triage.domain.outbox import SEALED_TEXT


def reseal_all(app: App, box: SecretBox) -> int:
    """Seal every stored secret again with the box's first key; returns how many."""
    count = 0
    with app.uows() as uow:
        for record in uow.records.all_sealed():
            uow.records.reseal(replace(record, sealed=box.seal(box.open(record.sealed))))
            count += 1
        uow.commit()
    count += _reseal_answers(app, box)
    if app.settings.instagram is not None:
        from bot.service.instagram import DatabaseVault

        vault = DatabaseVault(app, app.settings.instagram.username)
        sealed = vault.load_session()
        if sealed:
            vault.save_session(box.seal(box.open(sealed)))
            count += 1
    for letter in sorted((app.settings.data_dir / "rujukan").glob("*/*.sealed")):
        fresh = letter.with_suffix(".tmp")
        fresh.write_text(box.seal(box.open(letter.read_text(encoding="ascii"))), encoding="ascii")
        fresh.replace(letter)
        count += 1
    return count


def _reseal_answers(app: App, box: SecretBox) -> int:
    """Staff answers waiting (or failed) sealed in the outbox. The service is stopped (the
    command says so): a dispatcher that held an item and recorded a retry would write back the
    text sealed with the old key. An item whose claim changed under us is read again."""
    count = 0
    for _ in range(3):
        missed = 0
        with app.uows() as uow:
            for item in uow.outbox.unsent():
                if not item.options.get(SEALED_TEXT) or not item.text:
                    continue
                try:
                    opened = box.open(item.text)
                except ValueError:
                    continue  # no key opens it: its send fails, shown to staff
                if uow.outbox.reseal(item, box.seal(opened)):
                    count += 1
                else:
                    missed += 1
            uow.commit()
        if not missed:
            break
    return count


def rotate(app: App) -> int:
    """Steps 1-3 with the key file; with the variable, step 2 only (see the docstring)."""
    if os.environ.get(ENV):
        return reseal_all(app, SecretBox.at(app.settings.key_path))
    path: Path = app.settings.key_path
    SecretBox.at(path, before=app.settings.data_dir / "secret.key")  # made if none yet
    new = SecretBox.new_key().encode()
    write_keys(path, [new, *key_lines(path.read_bytes())])
    count = reseal_all(app, SecretBox.at(path))
    write_keys(path, [new])
    return count
