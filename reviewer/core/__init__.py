"""The headless heart of reviewer: domain, storage, ingest and services. Never imports Qt."""
