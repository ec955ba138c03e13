"""The screening pipeline: a captured frame in, a `ScreeningResult` with its findings out.

- `model`: the values (`Capture`, `Traveller`, `Finding`, `ListVersion`, `ScreeningResult`);
- `context`: `ScreeningContext`, everything the pipeline needs, built once and passed in;
- `checks`: the checks, one function each (document alerts, names, faces, validity, ...);
- `pipeline`: `screen(capture, context)`, the one pipeline the CLI, GUI and benchmarks call;
- `session`: `TravellerSession`/`DeskSessions`, which merge successive frames of one traveller
  so a hit is raised once, not once per frame;
- `jsonify`: the result as JSON for `checkpoint scan` and uploads.
"""
