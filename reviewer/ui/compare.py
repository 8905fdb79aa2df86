"""The compare view: two regions (a stamp on a note, the stamp on a known-genuine reference) at one scale.

Both regions are drawn at the same resolution, in a worker process, so a millimetre is as long on
either side. Side by side shows them as they are; overlay lays one over the other (an opacity slider);
difference shows white where they agree and dark where they differ. A region found by region search
at another size, turn or slant is brought back onto the other (un-warped by its homography, in a
worker) for overlay and difference.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from reviewer.core.services.forensics import region_pixels
from reviewer.ui.i18n import QT_TRANSLATE_NOOP, translate
from reviewer.ui.jobs import BackgroundJob

if TYPE_CHECKING:
    from reviewer.core.ingest.forensic_tasks import Pixels
    from reviewer.core.services.case import Case

SIDE_BY_SIDE, OVERLAY, DIFFERENCE = (
    QT_TRANSLATE_NOOP("CompareDialog", "Side by side"),
    QT_TRANSLATE_NOOP("CompareDialog", "Overlay"),
    QT_TRANSLATE_NOOP("CompareDialog", "Difference"),
)
TARGET_PX = 420  # the longer region's longer side on screen, in pixels
MIN_DPI, MAX_DPI = 72.0, 300.0
GAP = 16


@dataclass(frozen=True, slots=True)
class RegionRef:
    """A region to compare: document, page (1-based), box in points of the unrotated page, a caption.

    ``scale`` and ``angle`` (degrees, counter-clockwise) say how it differs from the other region, as
    region search measured it; 1 and 0 when unknown. ``homography`` (3×3, row by row), when known, maps
    points of the other region's page onto this one's: the region is un-warped onto the other with it.
    """

    document_id: int
    page: int
    rect: tuple[float, float, float, float]
    label: str
    scale: float = 1.0
    angle: float = 0.0
    homography: tuple[float, ...] | None = None


def common_dpi(left: RegionRef, right: RegionRef, target_px: int = TARGET_PX) -> float:
    """One resolution for both regions: the longest side of either about ``target_px`` pixels."""
    longest = max(max(r.rect[2] - r.rect[0], r.rect[3] - r.rect[1]) for r in (left, right))
    if longest <= 0:
        return MIN_DPI
    return max(MIN_DPI, min(MAX_DPI, target_px * 72.0 / longest))


class CropJob(BackgroundJob):
    """Draw both regions at one resolution in a worker process."""

    def __init__(self, case: Case, left: RegionRef, right: RegionRef, dpi: float) -> None:
        super().__init__("compare")
        self.case, self.left, self.right, self.dpi = case, left, right, dpi

    def work(self) -> tuple[Pixels, Pixels, Pixels | None]:
        """Both crops, RGB; and the right one un-warped onto the left one, when its homography is known."""
        right = self.right
        unwarped = None
        if right.homography is not None:
            # region search is loaded when first needed, not with the window
            from reviewer.core.services.region_search import unwarped_region

            unwarped = unwarped_region(
                self.case, right.document_id, right.page, right.homography, self.left.rect, self.dpi
            )
        return (
            region_pixels(self.case, self.left.document_id, self.left.page, self.left.rect, self.dpi),
            region_pixels(self.case, right.document_id, right.page, right.rect, self.dpi),
            unwarped,
        )


def to_image(pixels: Pixels) -> QImage:
    """Packed RGB or grey pixels as a QImage that owns its memory."""
    fmt = QImage.Format.Format_Grayscale8 if pixels.channels == 1 else QImage.Format.Format_RGB888
    image = QImage(pixels.samples, pixels.width, pixels.height, pixels.width * pixels.channels, fmt)
    return image.copy()


class CompareDialog(QDialog):
    """Two regions at the same scale: side by side, overlaid, or their difference."""

    pageWanted = Signal(int, int)  # document, page
    ready = Signal()  # both regions drawn

    def __init__(self, case: Case, left: RegionRef, right: RegionRef, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Compare regions") + " — reviewer")
        self.left, self.right = left, right
        self.dpi = common_dpi(left, right)
        self.left_pixels: Pixels | None = None
        self.right_pixels: Pixels | None = None
        self.left_image = QImage()
        self.right_image = QImage()
        self.unwarped_image = QImage()  # the right region brought back onto the left one, if known
        self.composed = QImage()

        self.mode = QComboBox(self)
        for mode in (SIDE_BY_SIDE, OVERLAY, DIFFERENCE):
            self.mode.addItem(translate("CompareDialog", mode), mode)
        self.opacity = QSlider(Qt.Orientation.Horizontal, self)
        self.opacity.setRange(0, 100)
        self.opacity.setValue(50)
        self.opacity.setToolTip(self.tr("How much of the right region shows over the left one"))
        self.match = QCheckBox(
            self.tr("Undo the size ({scale}×), turn ({angle}°) and slant found").format(
                scale=f"{right.scale:.2f}", angle=f"{right.angle:+.1f}"
            ),
            self,
        )
        self.match.setToolTip(
            self.tr(
                "Bring the right region back onto the left one (size, turn and slant) before laying it over"
            )
        )
        self.can_match = (
            right.homography is not None or abs(right.scale - 1) > 1e-3 or abs(right.angle) > 1e-3
        )
        self.match.setVisible(self.can_match)
        self.match.setChecked(True)
        self.captions = QLabel(self)
        self.captions.setWordWrap(True)
        self.canvas = QLabel(self)
        self.canvas.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.canvas.setText(self.tr("Drawing both regions…"))
        scroll = QScrollArea(self)
        scroll.setWidget(self.canvas)
        scroll.setWidgetResizable(True)
        scroll.setMinimumSize(2 * TARGET_PX + GAP + 40, TARGET_PX + 40)
        self.open_left = QPushButton(self.tr("Open left page"), self)
        self.open_right = QPushButton(self.tr("Open right page"), self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)

        controls = QHBoxLayout()
        controls.addWidget(QLabel(self.tr("View:"), self))
        controls.addWidget(self.mode)
        controls.addWidget(QLabel(self.tr("Opacity:"), self))
        controls.addWidget(self.opacity, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.match)
        layout.addWidget(self.captions)
        layout.addWidget(scroll, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.open_left)
        bottom.addWidget(self.open_right)
        bottom.addStretch(1)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)

        self.mode.currentTextChanged.connect(lambda _t: self.compose())
        self.opacity.valueChanged.connect(lambda _v: self.compose())
        self.match.toggled.connect(lambda _on: self.compose())
        self.open_left.clicked.connect(lambda: self.pageWanted.emit(left.document_id, left.page))
        self.open_right.clicked.connect(lambda: self.pageWanted.emit(right.document_id, right.page))
        buttons.rejected.connect(self.reject)
        self._show_captions()
        self.job: CropJob | None = CropJob(case, left, right, self.dpi)
        self.job.finished.connect(self._drawn, Qt.ConnectionType.QueuedConnection)
        self.job.failed.connect(self._failed, Qt.ConnectionType.QueuedConnection)
        self.job.start()
        self.compose()

    def set_mode(self, mode: str) -> None:
        """Side by side, Overlay or Difference."""
        self.mode.setCurrentIndex(max(self.mode.findData(mode), 0))

    def _show_captions(self) -> None:
        self.captions.setText(
            self.tr("<b>Left</b>: {left} &nbsp; <b>Right</b>: {right}").format(
                left=self.left.label, right=self.right.label
            )
            + "<br><span style='color:#5f6368'>"
            + self.tr(
                "Both drawn at {dpi} dpi: the same scale. Difference is white where the two agree."
            ).format(dpi=f"{self.dpi:.0f}")
            + "</span>"
        )

    def _drawn(self, crops: object) -> None:
        if self.job is not None:
            self.job.wait(30)
            self.job = None
        if not isinstance(crops, tuple):
            return
        self.left_pixels, self.right_pixels = crops[0], crops[1]
        self.left_image, self.right_image = to_image(crops[0]), to_image(crops[1])
        if len(crops) > 2 and crops[2] is not None:
            self.unwarped_image = to_image(crops[2])
        self.compose()
        self.ready.emit()

    def _failed(self, message: str) -> None:
        if self.job is not None:
            self.job.wait(30)
            self.job = None
        self.canvas.setText(message)

    def compose(self) -> QImage:
        """Compose the view in the current mode; a null image until both regions are drawn."""
        mode = str(self.mode.currentData())
        self.opacity.setEnabled(mode == OVERLAY)
        self.match.setEnabled(mode != SIDE_BY_SIDE)
        if self.left_image.isNull() or self.right_image.isNull():
            self.composed = QImage()
            return self.composed
        if mode == SIDE_BY_SIDE:
            self.composed = self._side_by_side()
        else:
            self.composed = self._laid_over(difference=mode == DIFFERENCE)
        self.canvas.setPixmap(QPixmap.fromImage(self.composed))
        return self.composed

    def _side_by_side(self) -> QImage:
        left, right = self.left_image, self.right_image
        image = QImage(left.width() + GAP + right.width(), max(left.height(), right.height()),
                       QImage.Format.Format_RGB32)  # fmt: skip
        image.fill(QColor("#dadce0"))
        painter = QPainter(image)
        painter.drawImage(0, 0, left)
        painter.drawImage(left.width() + GAP, 0, right)
        painter.end()
        return image

    def _laid_over(self, *, difference: bool) -> QImage:
        left, right = self.left_image, self.right_image
        side = max(left.width(), left.height(), right.width(), right.height())
        image = QImage(side, side, QImage.Format.Format_RGB32)
        image.fill(QColor("white"))
        centre = QPointF(side / 2, side / 2)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(QPointF(centre.x() - left.width() / 2, centre.y() - left.height() / 2), left)
        if difference:
            painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Difference)
        else:
            painter.setOpacity(self.opacity.value() / 100)
        if self.match.isChecked() and not self.unwarped_image.isNull():
            # un-warped in the worker onto the left region's own box: it lies exactly over it
            unwarped = self.unwarped_image
            corner = QPointF(centre.x() - unwarped.width() / 2, centre.y() - unwarped.height() / 2)
            painter.drawImage(corner, unwarped)
            if difference:
                painter.fillRect(image.rect(), QColor("white"))
            painter.end()
            return image
        painter.translate(centre)
        if self.match.isChecked() and self.can_match:
            # Qt turns clockwise on screen; region search measured the right one turned counter-clockwise
            painter.rotate(self.right.angle)
            painter.scale(1 / self.right.scale, 1 / self.right.scale)
        painter.drawImage(QPointF(-right.width() / 2, -right.height() / 2), right)
        if difference:
            painter.resetTransform()
            painter.fillRect(image.rect(), QColor("white"))  # white where they agree, dark where not
        painter.end()
        return image

    def done(self, result: int) -> None:
        """Close, after the drawing job (if any) has ended."""
        if self.job is not None:
            self.job.cancel.set()
            self.job.wait(30)
            self.job = None
        super().done(result)
