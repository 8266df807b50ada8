"""Channel adapters: each turns its native messages into `triage.domain.model.InboundMessage` and
sends
outbox items back the way its channel expects. Parsing is pure and apart from transport."""
