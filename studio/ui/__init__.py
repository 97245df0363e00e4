"""The desktop window: Qt widgets, views, dialogs and the adapter from job events to
signals. May import every room below it (jobs, providers, render, export, storage…) but
never httpx, `studio.app` or `studio.cli`."""
