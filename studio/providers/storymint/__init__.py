"""The Storymint adapter: `provider` translates studio requests to its HTTP API, `parse` reads
its answers, `wait` follows an accepted job to its result. Imports `studio.net`,
`studio.core` and `studio.providers`' shared modules, never another provider."""
