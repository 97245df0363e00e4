"""Comic Studio providers layer."""
