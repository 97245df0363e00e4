"""ComfyUI: the studio drives a local or remote ComfyUI server (the user's own GPU)."""
