"""Background jobs: work that is slow, periodic or retryable runs here, not in a request.

Procrastinate keeps the jobs. On PostgreSQL they live in its tables, so they survive a crash
of any process, several ``tandem worker`` processes share them, and each periodic run is
deferred once per deployment however many processes schedule it. On SQLite (the embedded
default) they live in the server process's memory and run there; what they do is derived from
the database, so a restart loses nothing a later run does not redo.
"""
