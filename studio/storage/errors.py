"""Errors of the storage layer."""

from __future__ import annotations


class ProjectError(Exception):
    """The project file cannot be used. ``str(error)`` says why and what to do."""


class NotAProject(ProjectError):
    pass


class NewerProject(ProjectError):
    pass


class DamagedProject(ProjectError):
    pass


class ProjectWriteError(ProjectError):
    """A write failed (disk full, read-only file). Nothing was half-written."""
