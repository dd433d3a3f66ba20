"""Photos of a case: bytes kept in the data folder by sha256, a `photo` record that syncs, the upload after."""
from __future__ import annotations

from sync import incidents

from ..store import Store, case_events, photo_blobs
from ..store.repository import NotFound
from .incidents import Incidents


class CasePhotos:
    def __init__(self, cases: Incidents):
        self.cases = cases
        self.store: Store = cases.store

    def add(self, incident_id: str, data: bytes, caption: str | None = None, mime: str = "image/jpeg") -> str:
        """Keep the bytes and write the record; the bytes go to the station after the records at a sync."""
        incident = self.store.get("incident", incident_id)
        if incident is None:
            raise NotFound("incident", incident_id)
        sha256, size = photo_blobs.keep(self.store, data)
        return self.store.put("photo", {"incident_id": incident_id, "grid_code": incident["grid_code"],
                                        "sha256": sha256, "size": size, "mime": mime, "caption": caption,
                                        "taken_at": incidents.ms_iso(self.cases.now_ms())})

    def of(self, incident_id: str) -> list[dict]:
        """The case's photos, each with `path` if its bytes are on this computer."""
        out = []
        for photo in case_events.of_cases(self.store, "photo", [incident_id]):
            path = photo_blobs.path_of(self.store, photo["sha256"])
            out.append({**photo, "path": path if path.exists() else None})
        return out


def photo_bytes(path) -> bytes:
    """The bytes of a photo kept on this computer (its `path` from `of`): the file itself is sealed."""
    return photo_blobs.read_file(path)
