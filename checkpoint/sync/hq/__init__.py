"""The reference HQ service: accepts station uploads idempotently and serves watchlist bundles.

Small enough to read in one sitting, real enough to test the station against (Starlette on
uvicorn, SQLite or PostgreSQL), and usable for a small deployment.
"""
