// persons.csv rows not in the graph yet (the fast path of ingest/writers.py: plain CREATE, no MERGE).
// Every property is written in the CREATE pattern itself (no `SET n += row.p`, no Eager, one property
// write per record); the keys are exactly those of ingest.writers.to_row's `p` (tests/ingest check this),
// absent (null) values are simply not stored, as with `+=` on a new entity.
// Params: $rows [{k, line, h, p}] with distinct keys, $file, $load_id, $loaded_at (the batch's write time).
UNWIND $rows AS row
CREATE (n:Person {person_id: row.p.person_id, name: row.p.name, gender: row.p.gender, birth_date: row.p.birth_date,
                 education: row.p.education, school: row.p.school, major: row.p.major, title: row.p.title,
                 phone: row.p.phone, email: row.p.email, civil_servant: row.p.civil_servant, retired: row.p.retired,
                 bio: row.p.bio, phone_norm: row.p.phone_norm, email_norm: row.p.email_norm,
                 src_file: $file, src_line: row.line, load_id: $load_id, loaded_at: $loaded_at, row_hash: row.h})
