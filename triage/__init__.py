"""The pure core of Puspaga Inbox.

Nothing here does I/O or reads the clock: use cases receive `now` and talk to the world only
through the ports in `triage.ports`. `channels/`, `storage/` and `bot/` depend on this package,
never the other way round (enforced by import-linter, see pyproject.toml).
"""
