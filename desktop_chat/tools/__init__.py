"""Tools a model may call: MCP servers, the built-in tools, offering them and parsing calls."""
