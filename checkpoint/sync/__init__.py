"""Getting what the station recorded to headquarters: the outbox, the uploader, the HQ protocol.

Hits, decisions and reviews are written to the outbox in the same transaction that records
them; the uploader sends them in batches whenever HQ can be reached, at least once, each
with an idempotency key so HQ keeps every item exactly once. `sync.hq` is the reference HQ
service the uploader talks to.
"""
