"""Faces: detection, quality, templates, 1:1 verification and 1:N search.

The officer must know, while the traveller stands at the desk, whether the face in front of
the camera is the face on the document and whether it is on a watchlist. The pieces:

- `models`: the dlib networks, loaded once, and the model identity stored beside templates;
- `detect`: HOG detection on a downscaled copy, 68-point landmarks at full resolution;
- `quality`: inter-eye distance, sharpness, exposure, pose and eyes, each with its reason;
- `read`: `read_faces(image)` -> `FaceRead`s with the subject chosen, and their JSON form;
- `templates`: 128-d float32 templates tagged with model name and version;
- `verify`: 1:1 distance, decision and calibrated confidence;
- `calibration`: distances to probabilities and error rates; the 1:1 threshold;
- `search`: the exact 1:N index and the gallery-size threshold policy;
- `watch`: every face of a frame against the index, at the policy's threshold;
- `portrait`: the holder's photo on a document image.

This package's `__init__` imports nothing so that `checkpoint.faces.search` can be used (by
the watchlist store, by benchmarks) without loading dlib.
"""
