"""Comic Studio jobs layer."""
