"""The Qt binding itself: a long session must not wear out Python's immortal-ish singletons."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication

class Probe(QObject):
    fired = Signal(object)

app = QApplication([])
probe = Probe()
seen = []
probe.fired.connect(seen.append)
before = sys.getrefcount(None), sys.getrefcount(True)
for i in range(20000):
    probe.fired.emit(i)
    app.processEvents()
after = sys.getrefcount(None), sys.getrefcount(True)
print(before[0] - after[0], before[1] - after[1], len(seen))
"""


def test_signals_and_event_processing_do_not_leak_references() -> None:
    """PySide6 6.12.0 loses a reference to None or True per emit and processEvents(): after a few
    thousand page turns Python 3.11 aborts with 'bool_dealloc'. Run in a child: it may crash."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lost_none, lost_true, delivered = (int(v) for v in done.stdout.split())
    assert delivered == 20000
    assert lost_none < 100, f"{lost_none} references to None lost"
    assert lost_true < 100, f"{lost_true} references to True lost"
