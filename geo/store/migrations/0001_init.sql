-- Incident Atlas shared store, version 1: the incident table of geo/schema.py with spatial,
-- date, type, region, actor and text indexes. Applied by `python -m geo migrate` in one transaction.
-- PostGIS is not a "trusted" extension: a superuser runs `CREATE EXTENSION postgis` once per database
-- when the migrating role may not (see docs/POSTGIS.md).
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Lower-cased, trimmed parts of a ';'-separated list ("A ; B" -> {a,b}); empty parts dropped.
-- One expression without FROM, so PostgreSQL inlines it (a per-row function call is ~5x slower).
CREATE OR REPLACE FUNCTION atlas_split_keys(value text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT array_remove(string_to_array(
        lower(btrim(regexp_replace(value, '\s*;\s*', ';', 'g'), E' \t\n\r\f\v\u00a0')), ';'), '')
$$;

-- The text that free-text search looks in: notes and location, lower-cased.
CREATE OR REPLACE FUNCTION atlas_search_text(notes text, location text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT lower(coalesce(notes, '') || ' ' || coalesce(location, ''))
$$;

CREATE TABLE incidents (
    event_id        text PRIMARY KEY,
    event_date      date NOT NULL,
    date_end        date,
    time_precision  integer,
    event_type      text,
    sub_event_type  text,
    kind            text,
    actor1          text,
    assoc_actor_1   text,
    actor2          text,
    assoc_actor_2   text,
    country         text,
    admin1          text,
    admin1_iso      text,
    admin2          text,
    admin3          text,
    location        text,
    latitude        double precision NOT NULL CHECK (latitude BETWEEN -90 AND 90),
    longitude       double precision NOT NULL CHECK (longitude BETWEEN -180 AND 180),
    geo_precision   integer,
    region_id       text,
    fatalities      integer,
    count           integer,
    source          text,
    source_url      text,
    notes           text,
    doc_id          text,
    span            text,
    confidence      double precision,
    imported_from   text,
    updated_at      timestamp,
    extra           text,
    -- Derived columns, kept in step by PostgreSQL itself; they exist only to be indexed.
    geom        geometry(Point, 4326)
                GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(longitude, latitude), 4326)) STORED,
    period      daterange
                GENERATED ALWAYS AS (daterange(event_date, greatest(event_date, date_end), '[]')) STORED,
    actor_keys  text[]
                GENERATED ALWAYS AS (atlas_split_keys(coalesce(actor1, '') || ';' || coalesce(assoc_actor_1, '')
                                     || ';' || coalesce(actor2, '') || ';' || coalesce(assoc_actor_2, ''))) STORED,
    type_keys   text[]
                GENERATED ALWAYS AS (ARRAY[lower(event_type), lower(sub_event_type), lower(kind)]) STORED,
    source_keys text[]
                GENERATED ALWAYS AS (atlas_split_keys(source)) STORED
);

CREATE INDEX incidents_geom_gist ON incidents USING gist (geom);
CREATE INDEX incidents_period_gist ON incidents USING gist (period);
CREATE INDEX incidents_event_date ON incidents (event_date);
-- One GIN index serves type filters on event_type, sub_event_type and kind alike (type_keys holds all three).
CREATE INDEX incidents_type_keys_gin ON incidents USING gin (type_keys);
CREATE INDEX incidents_admin1_iso ON incidents (upper(admin1_iso), event_date);
CREATE INDEX incidents_actor_keys_gin ON incidents USING gin (actor_keys);
CREATE INDEX incidents_search_trgm ON incidents USING gin (atlas_search_text(notes, location) gin_trgm_ops);
