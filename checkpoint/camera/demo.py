"""The demo source: rendered travellers photographed on a desk, so the desk runs anywhere.

It plays `checkpoint.documents.synth`'s demo specimens (Doc 9303's own specimen passport,
then one holder of every format), each as a few photos at slightly different angles, as a
camera would see a document lying on the desk. Nothing here is a screening result: the desk
reads these frames with the same readers as a camera's.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from checkpoint.documents.image import Image
from checkpoint.documents.synth import demo_specimens, photograph
from checkpoint.documents.synth.render import Specimen

VIEWS = ((0.55, 3.0), (0.6, 358.0), (0.5, 8.0))
"""(share of the frame, angle) of each photo of one traveller's document."""


class DemoSource:
    """Each specimen's photos, repeated `frames_each` frames in all, then the next traveller."""

    name = "demo"

    def __init__(
        self,
        specimens: Sequence[Specimen] | None = None,
        *,
        frames_each: int = 60,
        interval_s: float = 0.1,
        size: tuple[int, int] = (1280, 720),
        loop: bool = True,
        seed: int = 9303,
    ) -> None:
        self.interval_s = interval_s
        self._specimens = list(specimens) if specimens is not None else demo_specimens()
        self._frames_each = max(1, frames_each)
        self._size = size
        self._loop = loop
        self._seed = seed
        self._photos: dict[int, list[Image]] = {}
        self._rngs: dict[int, np.random.Generator] = {}
        self._frame = 0

    @property
    def traveller(self) -> int:
        """The index of the specimen now on the desk."""
        return (self._frame // self._frames_each) % len(self._specimens)

    def photos(self, index: int) -> list[Image]:
        """The photos of specimen `index`, rendered once and kept (a photo takes ~50 ms)."""
        return [self.photo(index, view) for view in range(len(VIEWS))]

    def photo(self, index: int, view: int) -> Image:
        """One photo of specimen `index`, rendered when first shown: the first frame of a
        traveller waits for one photo, not all of them."""
        photos = self._photos.setdefault(index, [])
        if not photos:
            self._rngs[index] = np.random.default_rng(self._seed + index)
        while len(photos) <= view:
            fill, angle = VIEWS[len(photos)]
            photos.append(
                photograph(
                    self._specimens[index],
                    self._rngs[index],
                    size=self._size,
                    fill=fill,
                    angle=angle,
                    degrade="mild",
                ).image
            )
        return photos[view]

    def read(self) -> Image | None:
        if not self._loop and self._frame >= self._frames_each * len(self._specimens):
            return None
        step = self._frame % self._frames_each
        # Change the view every few frames, as a hand moving the document would.
        image = self.photo(self.traveller, (step // 5) % len(VIEWS))
        self._frame += 1
        return image

    def skip(self) -> None:
        """Put the next traveller's document on the desk at once."""
        self._frame = (self._frame // self._frames_each + 1) * self._frames_each

    def close(self) -> None:
        self._photos.clear()
        self._rngs.clear()
