// Wait until the expert_text index is online (populated). No parameters.
CALL db.awaitIndex('expert_text', 600)
