"""Comic Studio render layer."""
