#!/bin/sh
# First start of the compose PostgreSQL (mounted into /docker-entrypoint-initdb.d): the role fleetcore runs
# as (FLEETCORE_DB_USER, default fleetcore) is NOT a superuser. It may log in and owns one schema of its own,
# named like it, where Flyway creates every table; it cannot create databases or roles, and the public
# schema is closed to it. POSTGRES_USER (the superuser) stays for the administrator only.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v role="${FLEETCORE_DB_USER:-fleetcore}" -v role_password="$FLEETCORE_DB_PASSWORD" -v db="$POSTGRES_DB" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'role_password' NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
CREATE SCHEMA :"role" AUTHORIZATION :"role";
-- the read contract (schema api, role fleetcore_reader that reads only it): created here, filled by Flyway
CREATE SCHEMA api AUTHORIZATION :"role";
DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'fleetcore_reader') THEN CREATE ROLE fleetcore_reader NOLOGIN; END IF; END $$;
GRANT fleetcore_reader TO :"role";
ALTER ROLE :"role" IN DATABASE :"db" SET search_path = :"role";
REVOKE ALL ON SCHEMA public FROM PUBLIC;
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO :"role";
SQL
