"""The optional OpenAI-compatible HTTP API on the local engine (off by default)."""
