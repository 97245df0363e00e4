"""Story → script: headings, beats, automatic cast, shots, and the writers."""
