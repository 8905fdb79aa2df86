"""The demo case exports from the window: folder, zip and redacted (issue 11: it could not be exported)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from reviewer.core.services.case import open_case
from reviewer.core.services.demo import build_demo_case
from reviewer.core.services.exchange import verify_bundle
from reviewer.ui.export_dialog import ExportDialog

if TYPE_CHECKING:
    from pathlib import Path

    from pytestqt.qtbot import QtBot

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo case, built once for this module."""
    root = tmp_path_factory.mktemp("demo") / "case"
    build_demo_case(root, actor="tester").close()
    return root


@pytest.mark.parametrize(("as_zip", "redact"), [(False, False), (True, False), (False, True)])
def test_the_demo_case_exports_from_the_window(
    demo_root: Path, tmp_path: Path, qtbot: QtBot, as_zip: bool, redact: bool
) -> None:
    out = tmp_path / ("bundle.zip" if as_zip else "bundle")
    with open_case(demo_root, actor="tester") as case:
        dialog = ExportDialog(case, [])
        qtbot.addWidget(dialog)
        dialog.as_zip.setChecked(as_zip)
        dialog.redact.setChecked(redact)
        dialog.path.setText(str(out))
        dialog.start()
        assert dialog.job is not None
        qtbot.waitUntil(lambda: dialog.report is not None or dialog.start_button.isEnabled(), timeout=300_000)
        dialog.job.wait()
        assert dialog.report is not None, dialog.label.text()
        assert dialog.report.documents >= 8
        assert "Exported" in dialog.label.text()
        dialog.close()
    assert verify_bundle(out) == []
