"""Persistence: sqlmodel tables, the unit of work implementing triage's ports, migrations.

SQLite by default (one file under the data directory), PostgreSQL by URL for larger or
multi-worker deployments; the same code and migrations serve both.
"""
