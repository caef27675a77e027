"""The documents extraction reads and the incidents it produces."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from geo.extract._actors import Person
from geo.geocode.location import Location


@dataclass
class Document:
    """A report: its id, text, publication date and, when known, title and URL."""

    id: str
    text: str
    published: dt.date | None
    title: str | None = None
    url: str | None = None


@dataclass
class Incident:
    """One coded event found in a document, with where in the text it was found."""

    event_type: str
    sub_event_type: str
    kind: str
    event_date: dt.date
    date_end: dt.date | None = None
    time_precision: int = 1
    actor1: str | None = None
    assoc_actor_1: str | None = None
    actor2: str | None = None
    assoc_actor_2: str | None = None
    actors: list[str] = field(default_factory=list)
    location: Location | None = None
    location_text: str | None = None
    geo_precision: int | None = None
    count: int | None = None
    fatalities: int | None = None
    excerpt: str = ""
    span: tuple[int, int] = (0, 0)
    confidence: float = 0.5
    doc_id: str | None = None
    people: list[Person] = field(default_factory=list)
    trigger: str = ""
    flags: dict = field(default_factory=dict)

    # Keys of ``flags`` (no column in geo.schema; they go to the record's ``extra`` JSON and the CLI output):
    # needs_review (bool), civilian_targeting ("Civilian targeting"), unconfirmed_claim (bool),
    # excerpts (every passage merged into this incident: [{"span", "text"}]),
    # not_mapped (passages kept as provenance only: [{"span", "text", "why"}]).

    @property
    def span_text(self) -> str:
        """The character span as "start-end" (end exclusive)."""
        return f"{self.span[0]}-{self.span[1]}"

    def to_json(self) -> dict:
        """The ``python -m geo extract`` output object (DESIGN.md contract) plus region_id and people."""
        loc = self.location
        return {
            "doc_id": self.doc_id,
            "event_date": self.event_date.isoformat(),
            "date_end": self.date_end.isoformat() if self.date_end else None,
            "time_precision": self.time_precision,
            "event_type": self.event_type,
            "sub_event_type": self.sub_event_type,
            "kind": self.kind,
            "actor1": self.actor1,
            "actor2": self.actor2,
            "actors": self.actors,
            "location": loc.name if loc else self.location_text,
            "lat": loc.lat if loc else None,
            "lon": loc.lon if loc else None,
            "country": loc.country if loc else None,
            "admin1": loc.admin1 if loc else None,
            "admin1_iso": loc.admin1_iso if loc else None,
            "geo_precision": self.geo_precision,
            "count": self.count,
            "fatalities": self.fatalities,
            "excerpt": self.excerpt,
            "span": self.span_text,
            "confidence": round(self.confidence, 2),
            "assoc_actor_1": self.assoc_actor_1,
            "assoc_actor_2": self.assoc_actor_2,
            "region_id": loc.region_id if loc else None,
            "people": [p.to_json() for p in self.people],
            "location_text": self.location_text,   # the place as the report wrote it (e.g. in Arabic script)
            **self.public_flags(),
        }

    def public_flags(self) -> dict:
        """The flags for output (keys starting with "_" are the pipeline's own bookkeeping)."""
        return {k: v for k, v in self.flags.items() if not k.startswith("_")}
