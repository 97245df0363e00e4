"""Comic ▸ Provider history: per provider, the studio's own jobs in this book (with
thumbnails) and what the provider lists (Animus groups, Depicta jobs, Cartoonicate cartoons).
A listed job that belongs to this book and ended without its images is fetched into the book
again (polled, never resubmitted: no new billable request); deleting goes to the provider
where it allows it, and its refusal (Animus's 409) is explained."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio.core.models import Job, JobState
from studio.providers import registry
from studio.ui.dialogs.common import describe_error

if TYPE_CHECKING:
    from studio.ui.session import Session
    from studio.ui.tasks import TaskRunner

ItemRole = Qt.ItemDataRole.UserRole + 1
_ID_KEYS = ("group_id", "job_id", "cartoon_id", "id", "generation_id")
_TITLE_KEYS = ("title", "subject", "prompt", "name", "description")
_TIME_KEYS = ("created_at", "created", "updated_at", "date")
_FETCHABLE = (JobState.unknown, JobState.failed, JobState.cancelled)


def _first(item: dict[str, Any], keys: tuple[str, ...]) -> str:
    for key in keys:
        value = item.get(key)
        if value not in (None, ""):
            return str(value)
    return ""


async def list_remote(provider_id: str) -> list[dict[str, Any]]:
    """What the provider lists of its past work, as plain dicts (newest first)."""
    provider = registry.create_provider(provider_id)
    try:
        for name in ("list_groups", "list_jobs", "history"):
            method = getattr(provider, name, None)
            if method is not None:
                data = await method()
                if isinstance(data, dict):  # Cartoonicate: {cartoons, pagination}
                    data = next((v for v in data.values() if isinstance(v, list)), [])
                return [d for d in data if isinstance(d, dict)]
        return []
    finally:
        await provider.aclose()


async def delete_remote(provider_id: str, item_id: str) -> Any:
    provider = registry.create_provider(provider_id)
    try:
        return await provider.delete_group(item_id)  # type: ignore[attr-defined]
    finally:
        await provider.aclose()


class HistoryTab(QWidget):
    """One provider: this book's jobs and the provider's own list."""

    def __init__(self, provider_id: str, session: Session | None, runner: TaskRunner) -> None:
        super().__init__()
        self.provider_id = provider_id
        self.info = registry.info(provider_id)
        self.caps = self.info.capabilities
        self._session = session
        self._runner = runner
        self.remote: list[dict[str, Any]] = []
        self._setup_ui()
        self._fill_book()

    def _setup_ui(self) -> None:
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Item", "State", "Id", "When"])
        self.tree.setIconSize(QPixmap(72, 72).size())
        self.tree.setColumnWidth(0, 300)
        self.tree.currentItemChanged.connect(lambda *_a: self._update_buttons())
        self.book_root = QTreeWidgetItem(self.tree, ["In this book"])
        self.remote_root = QTreeWidgetItem(self.tree, [f"At {self.info.name}"])
        for root in (self.book_root, self.remote_root):
            root.setFlags(Qt.ItemFlag.ItemIsEnabled)
            root.setExpanded(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.refresh = QPushButton("&Refresh")
        self.refresh.clicked.connect(self.load_remote)
        self.fetch = QPushButton("&Import into the book")
        self.fetch.clicked.connect(self._on_fetch_clicked)
        self.delete = QPushButton("&Delete at the provider")
        self.delete.clicked.connect(self._on_delete_clicked)
        buttons = QHBoxLayout()
        for b in (self.refresh, self.fetch, self.delete):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        if not self.caps.list_history:
            why = self.caps.reason("list_history") or "it offers no list of past work"
            self.remote_root.setText(0, f"At {self.info.name}: not listed ({why})")
            self.refresh.setEnabled(False)
            self.refresh.setToolTip(f"{self.info.name} cannot list its history: {why}")
        self._update_buttons()

    # ------------------------------------------------------------------ data
    def book_jobs(self) -> list[Job]:
        if self._session is None:
            return []
        return [j for j in self._session.project.jobs() if j.provider == self.provider_id]

    def _fill_book(self) -> None:
        jobs = self.book_jobs()
        for job in reversed(jobs):
            title = f"#{job.id} {job.kind.value}: {job.message[:60]}"
            item = QTreeWidgetItem(
                self.book_root, [title, job.state.value, job.remote_id or "", _when(job)]
            )
            item.setData(0, ItemRole, ("job", job.id))
        if not jobs:
            QTreeWidgetItem(self.book_root, ["No jobs with this provider in this book"])
        if jobs and self._session is not None:
            session = self._session
            self._runner.run_in_thread(
                _thumbnails, session, jobs, on_done=self._on_thumbs, name="history-thumbs"
            )

    def _on_thumbs(self, thumbs: dict[int, bytes]) -> None:
        for i in range(self.book_root.childCount()):
            item = self.book_root.child(i)
            kind_id = item.data(0, ItemRole)
            data = thumbs.get(kind_id[1]) if kind_id else None
            if data:
                item.setIcon(0, QIcon(QPixmap.fromImage(QImage.fromData(data))))

    def load_remote(self) -> None:
        if not self.caps.list_history:
            return
        self.status.setText(f"Asking {self.info.name} for its list…")
        self.refresh.setEnabled(False)
        self._runner.spawn(
            list_remote(self.provider_id),
            on_done=self._on_remote,
            on_error=self._on_error,
            name=f"history-{self.provider_id}",
        )

    def _on_remote(self, items: list[dict[str, Any]]) -> None:
        self.refresh.setEnabled(True)
        self.remote = items
        self.remote_root.takeChildren()
        mine = {job.id for item in items if (job := self._match(item)) is not None}
        for item in items:
            iid = _first(item, _ID_KEYS)
            title = _first(item, _TITLE_KEYS) or iid
            count = item.get("generation_count")
            if count is not None:
                title = f"{title} ({count} image(s))"
            row = QTreeWidgetItem(
                self.remote_root,
                [title[:80], str(item.get("status", "")), iid, _first(item, _TIME_KEYS)],
            )
            row.setData(0, ItemRole, ("remote", iid))
        self.status.setText(
            f"{len(items)} item(s) at {self.info.name}; {len(mine)} from this book."
            if items
            else f"{self.info.name} lists nothing yet."
        )
        self._update_buttons()

    def _on_error(self, exc: BaseException) -> None:
        self.refresh.setEnabled(True)
        self.status.setText(describe_error(exc, self.info.name))

    # --------------------------------------------------------------- actions
    def selected(self) -> tuple[str, Any] | None:
        item = self.tree.currentItem()
        value = item.data(0, ItemRole) if item is not None else None
        return tuple(value) if value else None  # type: ignore[return-value]

    def _match(self, item: dict[str, Any] | str) -> Job | None:
        """This book's job a listed item is, by the provider's id (job id or group id)."""
        iid = item if isinstance(item, str) else _first(item, _ID_KEYS)
        found = [
            job
            for job in self.book_jobs()
            if iid and iid in {job.remote_id or ""} | {str(v) for v in job.handle.values() if v}
        ]
        # one Animus group holds every job of a book: the one still missing images first
        missing = [j for j in found if j.state in _FETCHABLE and j.remote_id]
        return (missing or found or [None])[-1]

    def fetchable(self) -> tuple[Job | None, str]:
        """The job Import would fetch, or None and why not."""
        if self._session is None:
            return None, "Open a comic first: the images go into its panels"
        chosen = self.selected()
        if chosen is None:
            return None, "Select a job"
        kind, key = chosen
        job = self._session.project.job(key) if kind == "job" else self._match(key)
        if job is None:
            return None, (
                "Made outside this book: the studio cannot tell which panels it belongs to"
            )
        if job.state is JobState.succeeded:
            return None, "Already in the book"
        if job.state.active:
            return None, "Still running: its images arrive by themselves"
        if not job.remote_id:
            return None, "Never accepted by the provider: nothing to fetch"
        return job, f"Fetch job #{job.id}'s images again: polled, not resubmitted (no charge)"

    def _update_buttons(self) -> None:
        job, why = self.fetchable()
        self.fetch.setEnabled(job is not None and job.state in _FETCHABLE)
        self.fetch.setToolTip(why)
        chosen = self.selected()
        if not self.caps.delete:
            self.delete.setEnabled(False)
            reason = self.caps.reason("delete") or "it has no delete endpoint"
            self.delete.setToolTip(f"{self.info.name} cannot delete: {reason}")
        else:
            remote = chosen is not None and chosen[0] == "remote"
            self.delete.setEnabled(remote)
            self.delete.setToolTip(
                f"Delete it at {self.info.name} (this book keeps its images)"
                if remote
                else f"Select an item listed at {self.info.name}"
            )

    def _on_fetch_clicked(self) -> None:
        job, why = self.fetchable()
        if job is None or self._session is None:
            self.status.setText(why)
            return
        self._session.retry(job.id)  # has a remote id: resumes (polls), never resubmits
        self.status.setText(f"Fetching job #{job.id} from {self.info.name}…")
        self.fetch.setEnabled(False)

    def _on_delete_clicked(self) -> None:
        chosen = self.selected()
        if chosen is None or chosen[0] != "remote":
            return
        answer = QMessageBox.question(
            self,
            "Delete at the provider?",
            f"Delete {chosen[1]} at {self.info.name}? The images already in this book stay.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.status.setText(f"Deleting {chosen[1]}…")
        self._runner.spawn(
            delete_remote(self.provider_id, str(chosen[1])),
            on_done=lambda _r: self.load_remote(),
            on_error=self._on_delete_error,
            name=f"history-delete-{self.provider_id}",
        )

    def _on_delete_error(self, exc: BaseException) -> None:
        text = describe_error(exc, self.info.name)
        if "409" in str(exc) or type(exc).__name__ == "GroupStillReconciling":
            text = (
                f"{self.info.name} refused for now (409): its images are still being "
                "reconciled. Try again in a minute; nothing was deleted."
            )
        self.status.setText(text)


def _when(job: Job) -> str:
    import time

    return time.strftime("%Y-%m-%d %H:%M", time.localtime(job.created_at)) if job.created_at else ""


def _thumbnails(session: Session, jobs: list[Job]) -> dict[int, bytes]:
    """A small image of each job's first drawn panel (off the UI thread)."""
    out: dict[int, bytes] = {}
    project = session.project
    for job in jobs:
        for pid in session.job_panels(job):
            for version in reversed(project.versions(pid)):
                if version.job_id == job.id and version.asset:
                    out[job.id] = project.thumbnail(version.asset, 96)
                    break
            if job.id in out:
                break
    return out


class HistoryDialog(QDialog):
    def __init__(self, parent: QWidget | None, session: Session | None, runner: TaskRunner):
        super().__init__(parent)
        self.setWindowTitle("Provider history")
        self.resize(820, 560)
        self.tabs = QTabWidget()
        self.pages: dict[str, HistoryTab] = {}
        for info in registry.available():
            if info.id == "local" or not info.capabilities.needs_key:
                continue
            tab = HistoryTab(info.id, session, runner)
            self.pages[info.id] = tab
            self.tabs.addTab(tab, info.name)
        if session is not None:
            current = session.project.story.provider
            if current in self.pages:
                self.tabs.setCurrentWidget(self.pages[current])
        self.tabs.currentChanged.connect(lambda _i: self._load_current())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        self._load_current()

    def _load_current(self) -> None:
        tab = self.tabs.currentWidget()
        if isinstance(tab, HistoryTab) and not tab.remote:
            tab.load_remote()
