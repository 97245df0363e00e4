"""Lettering drawn into pages: `auto` places balloons from the script, `fit` sets the text,
`shapes` draws balloon outlines and `draw` paints them. Imports `studio.core` and
`studio.render`'s fonts, never Qt."""
