// Create or update the Tag nodes of the taxonomy.
// $rows: list of {tag_id, label, label_en, kind, parent, synonyms}.
UNWIND $rows AS row
MERGE (t:Tag {tag_id: row.tag_id})
SET t.label = row.label, t.label_en = row.label_en, t.kind = row.kind, t.parent = row.parent,
    t.synonyms = row.synonyms
