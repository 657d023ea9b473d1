// When a refresh stage last completed, and as of which date. Params: $stage ('tag' | 'detect').
OPTIONAL MATCH (s:RefreshStamp {stage: $stage})
RETURN s.started_at AS started_at, s.as_of AS as_of
