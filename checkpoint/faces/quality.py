"""Per-face quality, each measure with its reason: poor quality is shown, never hidden.

Five measures, computed from the 68 landmarks and the face's pixels in well under a
millisecond each:

- inter-eye distance in pixels: at least 60, the usual minimum for matching (ISO/IEC 19794-5
  asks 90 of a passport portrait); below it the encoder sees an upscaled, detail-poor face;
- sharpness: variance of the Laplacian of the face resampled to a fixed size (so large and
  small faces are judged alike), divided by the face's own contrast (so a dim face is called
  dim, not blurred);
- exposure: mean brightness of the inner face and the share of clipped pixels;
- pose: yaw, pitch and roll, from `cv2.solvePnP` of six landmarks against a generic head;
- eyes visible: both eyes inside the frame and open (eye aspect ratio).

Every measure yields a `QualityCheck` with a sentence for the officer; `FaceQuality.score`
(1.0 when all pass) multiplies the checks' scores and is what lowers confidence.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from checkpoint.documents.image import Image, to_gray
from checkpoint.faces.detect import Box, Points


@dataclass(frozen=True)
class QualityLimits:
    """Where each measure turns from acceptable to poor."""

    min_inter_eye_px: float = 60.0
    min_sharpness: float = 40.0
    min_brightness: float = 60.0
    max_brightness: float = 200.0
    max_clipped: float = 0.15
    max_yaw_deg: float = 30.0
    max_pitch_deg: float = 25.0
    max_roll_deg: float = 20.0
    min_eye_opening: float = 0.15


@dataclass(frozen=True)
class QualityCheck:
    """One measure: its value, whether it passes, and what it means for the officer."""

    name: str
    value: float
    unit: str
    passed: bool
    score: float
    reason: str


@dataclass(frozen=True)
class Pose:
    """Head rotation in degrees: yaw (left/right), pitch (up/down), roll (tilt)."""

    yaw: float
    pitch: float
    roll: float


@dataclass(frozen=True)
class FaceQuality:
    """All checks of one face; `score` in [0, 1] is 1.0 when every check passes."""

    checks: tuple[QualityCheck, ...]
    pose: Pose
    inter_eye_px: float
    sharpness: float

    @property
    def score(self) -> float:
        return float(np.prod([check.score for check in self.checks]))

    @property
    def passed(self) -> bool:
        return all(check.passed for check in self.checks)

    @property
    def problems(self) -> tuple[str, ...]:
        """The reasons of the failed checks, most important first."""
        return tuple(check.reason for check in self.checks if not check.passed)


# A generic head in millimetres (nose tip at the origin, y up, z towards the camera), for
# landmarks 30 (nose tip), 8 (chin), 36 and 45 (outer eye corners), 48 and 54 (mouth corners).
_HEAD_MODEL = np.array(
    [
        (0.0, 0.0, 0.0),
        (0.0, -63.6, -12.5),
        (-43.3, 32.7, -26.0),
        (43.3, 32.7, -26.0),
        (-28.9, -28.9, -24.1),
        (28.9, -28.9, -24.1),
    ],
    dtype=np.float64,
)
_HEAD_POINTS = (30, 8, 36, 45, 48, 54)
# solvePnP with the generic head reads a level frontal face as looking slightly up; measured
# on frontal photos (astronaut, the shared face set) and subtracted.
_PITCH_OFFSET_DEG = 8.0
_SHARPNESS_SIZE = 96


def eye_centers(landmarks: Points) -> tuple[Points, Points]:
    """Centres of the subject's right eye (image left) and left eye (image right)."""
    return landmarks[36:42].mean(axis=0), landmarks[42:48].mean(axis=0)


def inter_eye_distance(landmarks: Points) -> float:
    right, left = eye_centers(landmarks)
    return float(np.linalg.norm(left - right))


def assess(
    image: Image, box: Box, landmarks: Points, limits: QualityLimits | None = None
) -> FaceQuality:
    """Judge one face of `image` (BGR, RGB or grey: only brightness is used)."""
    limits = limits or QualityLimits()
    gray = to_gray(image)
    inter_eye = inter_eye_distance(landmarks)
    crop = _inner_face(gray, landmarks)
    sharp = sharpness(crop)
    pose = estimate_pose(landmarks, gray.shape[1], gray.shape[0])
    checks = (
        _check_size(inter_eye, limits),
        _check_sharpness(sharp, limits),
        _check_exposure(crop, limits),
        _check_pose(pose, limits),
        _check_eyes(landmarks, gray.shape[1], gray.shape[0], limits),
    )
    return FaceQuality(checks=checks, pose=pose, inter_eye_px=inter_eye, sharpness=sharp)


def _inner_face(gray: Image, landmarks: Points) -> Image:
    """Eyebrows to chin, cheek to cheek: the pixels that decide a match, not hair or wall."""
    x0, y0 = np.floor(landmarks.min(axis=0)).astype(int)
    x1, y1 = np.ceil(landmarks.max(axis=0)).astype(int)
    height, width = gray.shape[:2]
    x0, y0 = max(0, x0), max(0, y0)
    x1, y1 = min(width, x1), min(height, y1)
    if x1 - x0 < 4 or y1 - y0 < 4:
        return np.zeros((4, 4), dtype=np.uint8)
    return gray[y0:y1, x0:x1]


def sharpness(crop: Image) -> float:
    """Laplacian variance over intensity variance of the face at a fixed size (higher: sharper)."""
    resized = cv2.resize(crop, (_SHARPNESS_SIZE, _SHARPNESS_SIZE), interpolation=cv2.INTER_AREA)
    spread = float(resized.var())
    if spread < 1.0:
        return 0.0
    # Divided by the face's own contrast, so a dim face is not also called blurred.
    return 1000.0 * float(cv2.Laplacian(resized, cv2.CV_64F).var()) / spread


def estimate_pose(landmarks: Points, width: int, height: int) -> Pose:
    """Yaw, pitch and roll in degrees from six landmarks and a generic head."""
    right, left = eye_centers(landmarks)
    roll = math.degrees(math.atan2(left[1] - right[1], left[0] - right[0]))
    focal = float(max(width, height))
    camera = np.array(
        [[focal, 0.0, width / 2.0], [0.0, focal, height / 2.0], [0.0, 0.0, 1.0]], dtype=np.float64
    )
    image_points = landmarks[list(_HEAD_POINTS)].astype(np.float64)
    # The model's y axis points up, the image's down: flip so the rotation is a proper one.
    model = _HEAD_MODEL * np.array([1.0, -1.0, -1.0])
    ok, rvec, _ = cv2.solvePnP(model, image_points, camera, None, flags=cv2.SOLVEPNP_ITERATIVE)
    if not ok:
        return Pose(yaw=0.0, pitch=0.0, roll=roll)
    rotation, _ = cv2.Rodrigues(rvec)
    # Euler angles of R = Rz(roll) Ry(yaw) Rx(pitch)
    yaw = math.degrees(math.asin(float(np.clip(-rotation[2, 0], -1.0, 1.0))))
    pitch = math.degrees(math.atan2(rotation[2, 1], rotation[2, 2]))
    return Pose(yaw=yaw, pitch=_wrap(pitch) - _PITCH_OFFSET_DEG, roll=roll)


def _wrap(angle: float) -> float:
    return (angle + 180.0) % 360.0 - 180.0


def _falloff(value: float, limit: float, *, below: bool) -> float:
    """1.0 within the limit, then falling linearly to 0.3 at twice the distance."""
    if below:
        if value >= limit:
            return 1.0
        fraction = value / limit if limit else 0.0
    else:
        if value <= limit:
            return 1.0
        fraction = max(0.0, 2.0 - value / limit) if limit else 0.0
    return 0.3 + 0.7 * max(0.0, min(1.0, fraction))


def _check_size(inter_eye: float, limits: QualityLimits) -> QualityCheck:
    passed = inter_eye >= limits.min_inter_eye_px
    reason = (
        f"{inter_eye:.0f} px between the eyes"
        if passed
        else f"face too small: {inter_eye:.0f} px between the eyes, "
        f"{limits.min_inter_eye_px:.0f} needed"
    )
    score = _falloff(inter_eye, limits.min_inter_eye_px, below=True)
    return QualityCheck("inter_eye", round(inter_eye, 1), "px", passed, score, reason)


def _check_sharpness(sharp: float, limits: QualityLimits) -> QualityCheck:
    passed = sharp >= limits.min_sharpness
    reason = (
        "face in focus"
        if passed
        else f"face blurred: sharpness {sharp:.0f}, {limits.min_sharpness:.0f} needed"
    )
    score = _falloff(sharp, limits.min_sharpness, below=True)
    return QualityCheck("sharpness", round(sharp, 1), "", passed, score, reason)


def _check_exposure(crop: Image, limits: QualityLimits) -> QualityCheck:
    mean = float(crop.mean())
    clipped = float(np.count_nonzero((crop <= 5) | (crop >= 250))) / max(1, crop.size)
    if clipped > limits.max_clipped:
        kind = "over" if np.count_nonzero(crop >= 250) > np.count_nonzero(crop <= 5) else "under"
        reason = f"face {kind}exposed: {clipped:.0%} of its pixels clipped"
        score = _falloff(clipped, limits.max_clipped, below=False)
        return QualityCheck("exposure", round(mean, 1), "mean", False, score, reason)
    if mean < limits.min_brightness:
        reason = f"face too dark: brightness {mean:.0f}, {limits.min_brightness:.0f} needed"
        score = _falloff(mean, limits.min_brightness, below=True)
        return QualityCheck("exposure", round(mean, 1), "mean", False, score, reason)
    if mean > limits.max_brightness:
        reason = f"face too bright: brightness {mean:.0f}, at most {limits.max_brightness:.0f}"
        score = _falloff(mean, limits.max_brightness, below=False)
        return QualityCheck("exposure", round(mean, 1), "mean", False, score, reason)
    return QualityCheck("exposure", round(mean, 1), "mean", True, 1.0, "face well exposed")


def _check_pose(pose: Pose, limits: QualityLimits) -> QualityCheck:
    excess = [
        (
            abs(pose.yaw) / limits.max_yaw_deg,
            "face turned sideways",
            abs(pose.yaw),
            limits.max_yaw_deg,
        ),
        (
            abs(pose.pitch) / limits.max_pitch_deg,
            "face tilted up or down",
            abs(pose.pitch),
            limits.max_pitch_deg,
        ),
        (
            abs(pose.roll) / limits.max_roll_deg,
            "head tilted sideways",
            abs(pose.roll),
            limits.max_roll_deg,
        ),
    ]
    worst = max(excess, key=lambda item: item[0])
    value = round(max(abs(pose.yaw), abs(pose.pitch), abs(pose.roll)), 1)
    if worst[0] <= 1.0:
        return QualityCheck("pose", value, "deg", True, 1.0, "face frontal")
    reason = f"{worst[1]}: {worst[2]:.0f}°, at most {worst[3]:.0f}°"
    score = _falloff(worst[0], 1.0, below=False)
    return QualityCheck("pose", value, "deg", False, score, reason)


def _eye_opening(eye: Points) -> float:
    vertical = np.linalg.norm(eye[1] - eye[5]) + np.linalg.norm(eye[2] - eye[4])
    horizontal = np.linalg.norm(eye[0] - eye[3])
    return float(vertical / (2.0 * horizontal)) if horizontal > 0 else 0.0


def _check_eyes(landmarks: Points, width: int, height: int, limits: QualityLimits) -> QualityCheck:
    eyes = landmarks[36:48]
    inside = bool(
        np.all(eyes[:, 0] >= 0)
        and np.all(eyes[:, 0] < width)
        and np.all(eyes[:, 1] >= 0)
        and np.all(eyes[:, 1] < height)
    )
    opening = min(_eye_opening(landmarks[36:42]), _eye_opening(landmarks[42:48]))
    if not inside:
        return QualityCheck(
            "eyes",
            round(opening, 3),
            "ratio",
            False,
            0.3,
            "eyes not visible: the face is cut off by the frame edge",
        )
    if opening < limits.min_eye_opening:
        return QualityCheck(
            "eyes",
            round(opening, 3),
            "ratio",
            False,
            _falloff(opening, limits.min_eye_opening, below=True),
            "eyes closed or hidden",
        )
    return QualityCheck("eyes", round(opening, 3), "ratio", True, 1.0, "both eyes visible")
