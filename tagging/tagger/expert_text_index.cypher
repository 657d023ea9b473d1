// The experts-only full-text index: only persons that have `expert_text` are in it. No parameters.
CREATE FULLTEXT INDEX expert_text IF NOT EXISTS FOR (n:Person) ON EACH [n.expert_text]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}
