"""The first pages: welcome (demo or set-up), the station and HQ, the first administrator."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from checkpoint.accounts.store import MIN_PASSWORD_LENGTH
from checkpoint.errors import CheckpointError
from checkpoint.firstrun.answers import normalised_hq_url
from checkpoint.ui.wizard.common import error_label


class WelcomePage(QWizardPage):
    """Try the demo (Enter) or set the station up; the choice is the wizard's to act on."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Welcome to Checkpoint"))
        self.setSubTitle(
            self.tr(
                "This station is not set up yet. Try the demo to see the desk with specimen "
                "documents and a demo list, or set the station up for real work."
            )
        )
        self.demo_button = QPushButton(self.tr("&Try the demo"))
        self.setup_button = QPushButton(self.tr("&Set up this station"))
        explanation = QLabel(
            self.tr(
                "Setting up asks for the station's name, the first administrator, the key HQ "
                "signs its watchlists with, the first watchlist, HQ's address and the camera."
            )
        )
        explanation.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.demo_button)
        layout.addWidget(self.setup_button)
        layout.addWidget(explanation)
        layout.addStretch(1)

    def make_demo_the_default(self) -> None:
        """Enter tries the demo: QWizard makes Next the default on every page change."""
        self.demo_button.setDefault(True)
        self.demo_button.setFocus()


class StationPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Station and headquarters"))
        self.setSubTitle(
            self.tr(
                "The station's identifier as HQ knows it, and HQ's address and this station's "
                "token if the station will talk to HQ (both can be set later)."
            )
        )
        self.station_id = QLineEdit()
        self.station_id.setPlaceholderText(self.tr("e.g. BCP-NORTH-01"))
        self.hq_url = QLineEdit()
        self.hq_url.setPlaceholderText("https://hq.example")
        self.hq_token = QLineEdit()
        self.hq_token.setEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)
        self.error = error_label()
        form = QFormLayout(self)
        form.addRow(self.tr("Station &identifier:"), self.station_id)
        form.addRow(self.tr("&HQ address:"), self.hq_url)
        form.addRow(self.tr("Station &token from HQ:"), self.hq_token)
        form.addRow(self.error)
        self.registerField("station_id*", self.station_id)

    def validatePage(self) -> bool:  # noqa: N802
        try:
            normalised_hq_url(self.hq_url.text())
        except CheckpointError as exc:
            self.error.setText(str(exc))
            self.hq_url.setFocus()
            return False
        if any(character.isspace() for character in self.hq_token.text().strip()):
            self.error.setText(
                self.tr("That is not a station token: paste the single line HQ issued.")
            )
            self.hq_token.setFocus()
            return False
        self.error.clear()
        return True


class AdministratorPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("First administrator"))
        self.setSubTitle(
            self.tr(
                "The administrator adds the other users. Setting the station up encrypts its "
                "database with a key only users' passwords (and a recovery key) unlock."
            )
        )
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirmation = QLineEdit()
        self.confirmation.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = error_label()
        form = QFormLayout(self)
        form.addRow(self.tr("&Username:"), self.username)
        form.addRow(
            self.tr("&Password (at least {count} characters):").format(count=MIN_PASSWORD_LENGTH),
            self.password,
        )
        form.addRow(self.tr("&Repeat the password:"), self.confirmation)
        form.addRow(self.error)
        self.registerField("admin_username*", self.username)
        self.registerField("admin_password*", self.password)
        self.registerField("admin_confirmation*", self.confirmation)

    def validatePage(self) -> bool:  # noqa: N802
        if len(self.password.text()) < MIN_PASSWORD_LENGTH:
            self.error.setText(
                self.tr("The password is too short: use at least {count} characters.").format(
                    count=MIN_PASSWORD_LENGTH
                )
            )
            self.password.setFocus()
            return False
        if self.password.text() != self.confirmation.text():
            self.error.setText(self.tr("The two passwords differ: type the same one twice."))
            self.confirmation.clear()
            self.confirmation.setFocus()
            return False
        self.error.clear()
        return True
