"""The project file (SQLite), assets, schema version and migrations."""

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
