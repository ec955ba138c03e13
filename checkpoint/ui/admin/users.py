"""The Users page of the administration window: accounts, their roles and their state.

Create an account, disable or enable it, reset its password (which also lifts a lockout) and
change its role. Every action runs `checkpoint.accounts.store` on a worker (hashing a
password takes a noticeable moment), which checks the permission, keeps the last enabled
administrator and writes the audit row; the page shows its one-sentence refusal as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QThreadPool,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from checkpoint.accounts import Role, StationSession
from checkpoint.accounts.store import (
    UserInfo,
    change_role,
    create_user,
    list_users,
    reset_password,
    set_disabled,
)
from checkpoint.ui.admin.jobs import JobRunner
from checkpoint.ui.models import RowsModel

Index = QModelIndex | QPersistentModelIndex

ROLE_NAMES: dict[Role, object] = {
    Role.OFFICER: QT_TRANSLATE_NOOP("UsersModel", "Officer"),
    Role.SUPERVISOR: QT_TRANSLATE_NOOP("UsersModel", "Supervisor"),
    Role.ADMINISTRATOR: QT_TRANSLATE_NOOP("UsersModel", "Administrator"),
}


def role_name(role: Role) -> str:
    return QCoreApplication.translate("UsersModel", str(ROLE_NAMES[role]))


class UsersModel(RowsModel):
    """One row per account: username, role, state, when the password last changed."""

    HEADERS = (
        QT_TRANSLATE_NOOP("UsersModel", "Username"),
        QT_TRANSLATE_NOOP("UsersModel", "Role"),
        QT_TRANSLATE_NOOP("UsersModel", "State"),
        QT_TRANSLATE_NOOP("UsersModel", "Password changed"),
    )

    @property
    def users(self) -> list[UserInfo]:
        return list(self._rows)

    def set_users(self, users: list[UserInfo]) -> None:
        self.beginResetModel()
        self._rows = list(users)
        self.endResetModel()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        user: UserInfo | None = self._row(index)
        if user is None:
            return None
        if role == Qt.ItemDataRole.UserRole:
            return user.username
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        column = index.column()
        if column == 0:
            return user.username
        if column == 1:
            return role_name(user.role)
        if column == 2:
            return _state(user)
        return user.password_changed_at.astimezone().strftime("%Y-%m-%d %H:%M")


def _state(user: UserInfo) -> str:
    if user.disabled:
        return QCoreApplication.translate("UsersModel", "Disabled")
    if user.locked_until is not None:
        return QCoreApplication.translate("UsersModel", "Locked until {time}").format(
            time=user.locked_until.astimezone().strftime("%H:%M")
        )
    return QCoreApplication.translate("UsersModel", "Enabled")


class NewUserDialog(QDialog):
    """Username, role and the password typed twice."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New user"))
        self.username = QLineEdit()
        self.role = QComboBox()
        for role in Role:
            self.role.addItem(role_name(role), role.value)
        self.password = _password_field()
        self.again = _password_field()
        self.error = QLabel()
        self.error.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(self.tr("&Username"), self.username)
        form.addRow(self.tr("&Role"), self.role)
        form.addRow(self.tr("&Password"), self.password)
        form.addRow(self.tr("Password &again"), self.again)
        form.addRow(self.error)
        form.addRow(_ok_cancel(self, self._check))

    def _check(self) -> None:
        if self.password.text() != self.again.text():
            self.error.setText(self.tr("The two passwords differ: type them again."))
            return
        self.accept()

    @property
    def chosen_role(self) -> Role:
        return Role(self.role.currentData())


class PasswordDialog(QDialog):
    """A new password for `username`, typed twice."""

    def __init__(self, username: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New password for {user}").format(user=username))
        self.password = _password_field()
        self.again = _password_field()
        self.error = QLabel()
        form = QFormLayout(self)
        form.addRow(self.tr("New &password"), self.password)
        form.addRow(self.tr("Password &again"), self.again)
        form.addRow(self.error)
        form.addRow(_ok_cancel(self, self._check))

    def _check(self) -> None:
        if self.password.text() != self.again.text():
            self.error.setText(self.tr("The two passwords differ: type them again."))
            return
        self.accept()


class RoleDialog(QDialog):
    """The role to give `username`."""

    def __init__(self, username: str, current: Role, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Role of {user}").format(user=username))
        self.role = QComboBox()
        for role in Role:
            self.role.addItem(role_name(role), role.value)
        self.role.setCurrentIndex(list(Role).index(current))
        form = QFormLayout(self)
        form.addRow(self.tr("&Role"), self.role)
        form.addRow(_ok_cancel(self, self.accept))

    @property
    def chosen_role(self) -> Role:
        return Role(self.role.currentData())


def _password_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


def _ok_cancel(dialog: QDialog, ok: Callable[[], None]) -> QDialogButtonBox:
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(ok)
    buttons.rejected.connect(dialog.reject)
    return buttons


class UsersPage(QWidget):
    """The accounts table and its actions; reads and changes run on a worker."""

    def __init__(self, session: StationSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        # Share the administration window's pool and register with its runners, so its
        # `busy` and `shutdown` cover this page's jobs too; alone, the page has its own.
        pool = getattr(parent, "pool", None)
        self.pool = pool if isinstance(pool, QThreadPool) else QThreadPool(self)
        self.runner = JobRunner(self.pool, self)
        runners = getattr(parent, "runners", None)
        if isinstance(runners, list):
            runners.append(self.runner)
        self.model = UsersModel()
        self._build()
        self.runner.busy_changed.connect(self._update_controls)
        self.refresh()

    def _build(self) -> None:
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._update_controls)
        self.add_button = QPushButton(self.tr("&New user…"))
        self.toggle_button = QPushButton(self.tr("&Disable"))
        self.reset_button = QPushButton(self.tr("&Reset password…"))
        self.role_button = QPushButton(self.tr("Change r&ole…"))
        self.add_button.clicked.connect(self._ask_new_user)
        self.toggle_button.clicked.connect(self._toggle_selected)
        self.reset_button.clicked.connect(self._ask_password)
        self.role_button.clicked.connect(self._ask_role)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.toggle_button, self.reset_button, self.role_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        layout.addWidget(self.message)
        self._update_controls()

    @property
    def selected(self) -> UserInfo | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.users[rows[0].row()]

    def select(self, username: str) -> None:
        for row, user in enumerate(self.model.users):
            if user.username == username:
                self.table.selectRow(row)
                return

    def _update_controls(self, *_args: object) -> None:
        user = self.selected
        busy = self.runner.busy
        self.add_button.setEnabled(not busy)
        for button in (self.toggle_button, self.reset_button, self.role_button):
            button.setEnabled(not busy and user is not None)
        self.toggle_button.setText(
            self.tr("&Enable") if user is not None and user.disabled else self.tr("&Disable")
        )

    # --- reading and acting, each on the worker -------------------------------------

    def refresh(self) -> bool:
        session = self.session
        return self.runner.submit(lambda _progress: list_users(session), self._show, self._fail)

    def _show(self, result: object) -> None:
        chosen = self.selected.username if self.selected is not None else None
        users = result if isinstance(result, list) else []
        self.model.set_users(users)
        if chosen is not None:
            self.select(chosen)
        self._update_controls()

    def _fail(self, message: str) -> None:
        self.message.setText(message)

    def _act(self, work: Callable[[], None], done_text: str) -> bool:
        """Run one account change, then say so and read the table again."""
        self.message.clear()

        def finished(_result: object) -> None:
            self.message.setText(done_text)
            self.refresh()

        return self.runner.submit(lambda _progress: work(), finished, self._fail)

    def add_user(self, username: str, password: str, role: Role) -> bool:
        session = self.session
        return self._act(
            lambda: create_user(session, username, password, role),
            self.tr("{user} created.").format(user=username.strip().lower()),
        )

    def set_selected_disabled(self, disabled: bool) -> bool:
        user = self.selected
        if user is None:
            return False
        session = self.session
        text = self.tr("{user} disabled.") if disabled else self.tr("{user} enabled.")
        return self._act(
            lambda: set_disabled(session, user.username, disabled),
            text.format(user=user.username),
        )

    def reset_selected_password(self, password: str) -> bool:
        user = self.selected
        if user is None:
            return False
        session = self.session
        return self._act(
            lambda: reset_password(session, user.username, password),
            self.tr("Password of {user} reset.").format(user=user.username),
        )

    def change_selected_role(self, role: Role) -> bool:
        user = self.selected
        if user is None:
            return False
        session = self.session
        return self._act(
            lambda: change_role(session, user.username, role),
            self.tr("{user} is now {role}.").format(user=user.username, role=role_name(role)),
        )

    # --- the buttons' dialogs ---------------------------------------------------------

    def _ask_new_user(self) -> None:
        dialog = NewUserDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.add_user(dialog.username.text(), dialog.password.text(), dialog.chosen_role)

    def _toggle_selected(self) -> None:
        user = self.selected
        if user is not None:
            self.set_selected_disabled(not user.disabled)

    def _ask_password(self) -> None:
        user = self.selected
        if user is None:
            return
        dialog = PasswordDialog(user.username, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.reset_selected_password(dialog.password.text())

    def _ask_role(self) -> None:
        user = self.selected
        if user is None:
            return
        dialog = RoleDialog(user.username, user.role, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.change_selected_role(dialog.chosen_role)
