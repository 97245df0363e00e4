"""The lettering editor: the scene view, its items, controls, in-place text editing and undo.
Imports `studio.render.lettering` and `studio.core`; other UI modules open it through
`editor.LetterEditor`."""
