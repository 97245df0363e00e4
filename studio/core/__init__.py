"""Domain objects and rules (Story, Script, Page, Panel, Shot, Version, Job…): no Qt, no I/O.
The bottom room: it imports nothing of ours."""
