// The graph's version: "epoch:counter", or "" before the first change. No parameters.
OPTIONAL MATCH (v:GraphVersion {key: 'graph'})
RETURN CASE WHEN v IS NULL THEN '' ELSE v.epoch + ':' + toString(v.version) END AS version
