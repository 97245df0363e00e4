"""Comic Studio: make comics with any provider, or offline.

Rooms, top to bottom (imports only point down; see pyproject.toml's import-linter
contracts): cli, app, ui, jobs, providers, render, export, storage, story, net,
settings/secrets, resources, core."""
