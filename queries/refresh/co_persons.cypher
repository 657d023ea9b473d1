// Everyone named with the given persons by an alert not closed: a group alert (LK1, TR3, LK3) must be
// looked at again from each of its persons when one of them changed. Params: $person_ids [String].
MATCH (a:Alert) WHERE a.status <> 'closed' AND any(p IN a.person_ids WHERE p IN $person_ids)
UNWIND a.person_ids AS q
RETURN collect(DISTINCT q) AS person_ids
