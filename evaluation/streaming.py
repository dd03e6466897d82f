"""Stream the output of PostgreSQL's ``COPY ... TO STDOUT`` as chunks of bytes, with flat memory.

Why COPY and why a thread: COPY is the fastest way out of PostgreSQL (its query may run in
parallel, and the rows arrive already formatted), while a server-side cursor can never use a
parallel plan and hands every row to Python as an object. psycopg2 only offers COPY as a blocking
call that writes into a file, so a helper thread runs it, on the request's own connection, into a
small bounded queue that the request's generator drains: at most ``QUEUE_CHUNKS`` chunks wait in
memory, and the COPY waits while the client reads slowly.

The connection is the request's (same transaction, same snapshot, same test database); the
request thread does not touch it until the helper is done. When the client stops reading, the
rest of the COPY is read and dropped rather than cancelled: a cancel can arrive late and hit the
next query, and reading to the end keeps the connection in a clean state. A COPY is one statement,
so its rows are one consistent snapshot.
"""

from __future__ import annotations

import queue
import threading

from django.db import connection

CHUNK_BYTES = 256 * 1024
QUEUE_CHUNKS = 8
_DONE = object()


class _Sink:
    """The file COPY writes into: rows gathered into chunks, handed over through the queue."""

    def __init__(self, handover, stopped, chunk_bytes):
        self.handover, self.stopped, self.chunk_bytes = handover, stopped, chunk_bytes
        self.parts, self.size = [], 0

    def write(self, data):
        if self.stopped.is_set():
            return  # nobody is reading any more: drop the rest
        self.parts.append(data)
        self.size += len(data)
        if self.size >= self.chunk_bytes:
            self.flush()

    def flush(self):
        if self.parts:
            chunk = b"".join(self.parts)
            self.parts, self.size = [], 0
            self.handover(chunk)


def copy_out(sql, params=None, *, chunk_bytes=CHUNK_BYTES, on_row_count=None):
    """Yield the bytes of ``COPY (...) TO STDOUT ...`` (``sql``, with psycopg2 ``params``), about
    ``chunk_bytes`` at a time; then ``on_row_count(rows)``. Errors of the COPY are raised here, in
    the caller's thread."""
    connection.ensure_connection()
    raw = connection.connection  # the psycopg2 connection under Django's wrapper
    with raw.cursor() as cursor:
        statement = cursor.mogrify(sql, params)
    chunks = queue.Queue(maxsize=QUEUE_CHUNKS)
    stopped = threading.Event()

    def handover(item):
        while not stopped.is_set():
            try:
                chunks.put(item, timeout=0.2)
                return
            except queue.Full:
                continue

    sink = _Sink(handover, stopped, chunk_bytes)

    def produce():
        try:
            with raw.cursor() as cursor:
                cursor.copy_expert(statement, sink)
                rows = cursor.rowcount
            sink.flush()
            handover((_DONE, rows))
        except BaseException as error:  # handed to the caller's thread, which raises it
            handover(error)

    helper = threading.Thread(target=produce, name="copy-out", daemon=True)
    helper.start()
    try:
        while True:
            item = chunks.get()
            if isinstance(item, BaseException):
                raise item
            if isinstance(item, tuple):  # (_DONE, rows)
                if on_row_count is not None:
                    on_row_count(item[1])
                return
            yield item
    finally:
        stopped.set()
        helper.join()  # the connection is the caller's again only when the COPY is over
