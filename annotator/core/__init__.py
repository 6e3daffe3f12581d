"""The domain core: storage, ingest and queries. Never imports Textual."""
