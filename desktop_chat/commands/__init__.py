"""Headless subcommands; each module adds its parser and runs it, cli.py wires them."""
