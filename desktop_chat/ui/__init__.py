"""Every QtWidgets import lives in this package."""
