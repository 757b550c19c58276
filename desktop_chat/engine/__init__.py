"""Inference: the llama.cpp backend, the worker thread that owns it, and its GUI-side client."""
