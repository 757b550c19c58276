"""`desktop-chat bench`: speed and memory figures, each a ratio or bound measured in one run."""
