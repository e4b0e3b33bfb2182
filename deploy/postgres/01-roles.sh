#!/bin/sh
# First start of the PostgreSQL container (docker-entrypoint-initdb.d): two roles, neither a
# superuser. portal_owner runs the migrations and owns every table (the audit table included);
# portal_app is what web, worker and beat connect as: it gets SELECT/INSERT/UPDATE/DELETE on the
# owner's tables through default privileges, and after each migrate the owner takes back all
# but SELECT, INSERT and UPDATE(actor_id) on the audit table (audit/grants.py). portal_app cannot
# alter, truncate or drop any table, so it cannot disable the audit table's triggers.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v owner_password="$PORTAL_OWNER_PASSWORD" -v app_password="$PORTAL_APP_PASSWORD" <<'SQL'
CREATE ROLE portal_owner LOGIN PASSWORD :'owner_password' NOSUPERUSER NOCREATEDB NOCREATEROLE;
CREATE ROLE portal_app LOGIN PASSWORD :'app_password' NOSUPERUSER NOCREATEDB NOCREATEROLE;
ALTER DATABASE portal OWNER TO portal_owner;
ALTER SCHEMA public OWNER TO portal_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO portal_app;
GRANT CONNECT ON DATABASE portal TO portal_app;
ALTER DEFAULT PRIVILEGES FOR ROLE portal_owner IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO portal_app;
ALTER DEFAULT PRIVILEGES FOR ROLE portal_owner IN SCHEMA public
  GRANT USAGE, SELECT ON SEQUENCES TO portal_app;
SQL
