// Keep `expert_text` (what the expert_text index holds) equal to the profile text (else name + bio)
// of every expert, and absent on everyone else. Returns how many persons changed. No parameters.
CALL () {
  MATCH (p:Person)-[:IS_EXPERT]->(:Expert)
  WITH DISTINCT p
  WITH p, coalesce(p.profile_text, p.name + '。' + coalesce(p.bio, '')) AS text
  WHERE p.expert_text IS NULL OR p.expert_text <> text
  SET p.expert_text = text
  RETURN count(p) AS n
  UNION ALL
  MATCH (p:Person) WHERE p.expert_text IS NOT NULL AND NOT EXISTS { (p)-[:IS_EXPERT]->(:Expert) }
  REMOVE p.expert_text
  RETURN count(p) AS n
}
RETURN sum(n) AS changed
