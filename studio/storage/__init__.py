"""The project file (SQLite), assets, schema version and migrations. Imports `studio.core`
and `studio.settings`; no Qt, no HTTP."""

from studio.storage.errors import (
    DamagedProject,
    NewerProject,
    NotAProject,
    ProjectError,
    ProjectWriteError,
)
from studio.storage.project import Project, inspect_file

__all__ = [
    "DamagedProject",
    "NewerProject",
    "NotAProject",
    "Project",
    "ProjectError",
    "ProjectWriteError",
    "inspect_file",
]
