-- A listing held at a co-op's premises now carries the co-op's region in `boroughs`, so the
-- borough filter is one test on the GIN-indexed array instead of an OR with coops.region that
-- read every row. The listings service keeps it so on create and edit, the co-ops service when a
-- co-op moves; this brings the existing rows in line. Written by hand.
UPDATE listings l
SET boroughs = ARRAY[c.region]
FROM coops c
WHERE c.id = l.coop_id
  AND l.location_mode = 'at_coop'
  AND l.boroughs IS DISTINCT FROM ARRAY[c.region];
