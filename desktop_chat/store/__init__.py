"""Conversations in sqlite: schema, migrations, search, export and import."""
