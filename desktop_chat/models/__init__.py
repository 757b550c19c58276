"""Model files: GGUF metadata, the local library, the Hub, downloads and fit estimates."""
