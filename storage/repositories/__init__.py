"""SQL repositories implementing triage's ports (one module per aggregate), on one connection
inside a transaction; storage/unit_of_work.py hands them out.

Every statement is built once, at import, with bind parameters: building SQLAlchemy statements
per call cost more than the database work on the ingest path (bench/ingest.py holds that path
to half the raw single-row commit rate).
"""
