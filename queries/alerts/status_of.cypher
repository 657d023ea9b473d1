// The current status of one alert. Parameters: $id (alert_id).
MATCH (a:Alert {alert_id: $id}) RETURN a.status AS status
