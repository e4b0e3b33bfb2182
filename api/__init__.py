"""The open-data API (/api/v1/): read-only JSON of what the portal publishes, for partner
media and technology platforms. See ARCHITECTURE.md ("The open-data API")."""
