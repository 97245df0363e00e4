"""Comic Studio ui layer."""
