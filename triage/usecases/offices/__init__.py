"""Use cases across the offices of one install (a province's): moving a case between them."""
