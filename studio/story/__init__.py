"""Story → script: headings, beats, automatic cast, shots, and the writers (offline, or a
language model over `studio.net`). May import `studio.core` and `studio.net`; no Qt."""
