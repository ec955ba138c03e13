"""Hits, their evidence, and the officers' decisions, kept in the station database.

- `model`: `Hit`, `Evidence`, `Decision`, `Outcome`, the default dismissal reasons;
- `evidence`: the face crop and document crop of a hit, as JPEG;
- `store`: `record_hit`, `decide`, `get_hit`, `list_hits`: each writes its rows and its outbox
  item in one transaction, so what was recorded is always what HQ will receive;
- `raising`: a screening result's new hits turned into recorded ones.
"""
