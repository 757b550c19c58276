"""Optional OpenAI-compatible HTTP API on loopback."""
