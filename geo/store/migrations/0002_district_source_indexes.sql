-- Incident Atlas shared store, version 2: indexes for the district filter (admin2, any case; declared
-- in geo/filters.py) and for the source filter, so that neither has to scan the whole table.
CREATE INDEX incidents_admin2_lower ON incidents (lower(admin2));
CREATE INDEX incidents_source_keys_gin ON incidents USING gin (source_keys);
