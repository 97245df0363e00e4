"""The shared async HTTP layer: client, limits, retries, asset download, URL rules and its
own error family. Used by providers, the script writer and ComfyUI; it knows nothing of any
provider and imports nothing of ours but `studio.core`."""
