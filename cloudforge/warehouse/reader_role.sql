-- The read-only login role for SQL access (`cloudforge sql`, the dashboards, psql and BI tools).
-- Run it on the warehouse database as a superuser; it is idempotent. The pipelines keep writing as {writer}.
DO $$ BEGIN CREATE ROLE {reader} LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
ALTER ROLE {reader} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
REVOKE pg_read_server_files, pg_write_server_files, pg_execute_server_program, pg_signal_backend
    FROM {reader};
-- Defaults for every session of the role; a session may turn read-only off, so privileges are the guarantee.
ALTER ROLE {reader} SET default_transaction_read_only = on;
ALTER ROLE {reader} SET statement_timeout = '2min';
ALTER ROLE {reader} SET idle_in_transaction_session_timeout = '5min';
-- Nothing to create anywhere: no temporary tables, nothing in public, no large objects.
GRANT CONNECT ON DATABASE {database} TO {reader};
REVOKE TEMPORARY ON DATABASE {database} FROM PUBLIC;
GRANT TEMPORARY ON DATABASE {database} TO {writer};
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION lo_create(oid), lo_creat(integer), lo_from_bytea(oid, bytea) FROM PUBLIC;
-- SELECT on the modelled tables only, including those dbt creates again on every build.
CREATE SCHEMA IF NOT EXISTS marts AUTHORIZATION {writer};
CREATE SCHEMA IF NOT EXISTS snapshots AUTHORIZATION {writer};
GRANT USAGE ON SCHEMA marts, snapshots TO {reader};
GRANT SELECT ON ALL TABLES IN SCHEMA marts, snapshots TO {reader};
ALTER DEFAULT PRIVILEGES FOR ROLE {writer} IN SCHEMA marts, snapshots GRANT SELECT ON TABLES TO {reader};
