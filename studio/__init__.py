"""Comic Studio: make comics with any provider, or offline."""
