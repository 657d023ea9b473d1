// The persons of $ids that a scope may see.
// unit HR ($unit_id): current staff of the unit (an employment or registration there active on $today).
// A province ($province): a current employment or registration at a unit of the province, an
// insurance period covering $month paid there (the payer unit's province or the period's 参保地),
// or a concern of an alert with a unit in the province.
// Parameters: $ids List<String>; $unit_id, $province String or null (one of them set);
//   $today Date; $month Date (first day of $today's month).
UNWIND $ids AS pid
MATCH (p:Person {person_id: pid})
WHERE ($unit_id IS NULL OR EXISTS {
        MATCH (p)-[:HAS_EMPLOYMENT|HAS_REGISTRATION]->(r)-[:AT]->(:Org {unit_id: $unit_id})
        WHERE coalesce(r.start_date, r.valid_from, $today) <= $today AND coalesce(r.end_date, r.valid_to, $today) >= $today })
  AND ($province IS NULL
       OR EXISTS {
        MATCH (p)-[:HAS_EMPLOYMENT|HAS_REGISTRATION]->(r)-[:AT]->(u:Unit {province: $province})
        WHERE coalesce(r.start_date, r.valid_from, $today) <= $today AND coalesce(r.end_date, r.valid_to, $today) >= $today }
       OR EXISTS {
        MATCH (p)-[:HAS_INSURANCE]->(i:Insurance)-[:AT]->(o:Org)
        WHERE i.start_month <= $month AND (i.end_month IS NULL OR i.end_month >= $month)
          AND (o.province = $province OR i.province = $province) }
       OR EXISTS {
        MATCH (p)<-[:CONCERNS]-(:Alert)-[:CONCERNS]->(:Unit {province: $province}) })
RETURN p.person_id AS person_id
