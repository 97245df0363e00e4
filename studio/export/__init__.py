"""Comic Studio export layer."""
