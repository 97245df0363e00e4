"""Domain objects and rules: no Qt, no I/O."""
