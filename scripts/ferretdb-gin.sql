-- GIN expression indexes for FerretDB 1.24.2's PostgreSQL backend, kept in step with the btree
-- indexes FerretDB creates. Installed by scripts/services.cjs (newPostgresDatabase) in each
-- PostgreSQL database made for a FerretDB, before FerretDB starts; idempotent (safe to re-run).
--
-- Why: FerretDB pushes an equality filter down as `_jsonb->'field' @> '"value"'` (a dotted field,
-- which only update/delete/findAndModify push down, as `_jsonb #> '{a,b}' @> ...`), but indexes a
-- MongoDB index as a btree on `(_jsonb->'field')`: btree cannot serve `@>`, so every lookup,
-- `_id` included, is a sequential scan of the collection's table. A GIN (jsonb_path_ops) index on
-- the same expression serves `@>`. One GIN per indexed field (deduplicated per table), not one
-- multi-column GIN per MongoDB index: for `{tenantId, userId}` the planner then scans only the
-- selective `userId` GIN and filters `tenantId` on the one row found (given statistics: without
-- ANALYZE it intersects both GINs and walks the tenant's list anyway), whereas a multi-column GIN
-- also walks the posting list of the dominant tenant.
--
-- The layout this relies on (pinned by test/integration/ferretdb-gin.test.ts): a schema per MongoDB
-- database holding the table `_ferretdb_database_metadata (_jsonb jsonb)`; a table per collection
-- with a `_jsonb jsonb` column; MongoDB indexes as btree indexes named `..._idx` whose columns are
-- `(_jsonb -> 'f'::text)` or `((_jsonb -> 'a'::text) -> 'b'::text)`. FerretDB reads indexes only
-- from its metadata table, so it never sees (nor chokes on) the GIN indexes made here, which are
-- named `<table>_<field>_<hash of both>_gin` (FerretDB's names end in `_idx`, its tables in `_<8 hex>`).
--
-- And FerretDB's non-unique btree indexes serve nothing it sends (it filters with `@>` and sorts in
-- Go) but cost every insert and update (a users document kept six of them: 1.0 ms of an update's
-- 1.5 ms in PostgreSQL at 200,000 people): each is made an empty placeholder of the same name and
-- columns (`WHERE false`), which writes skip, FerretDB can drop, and the GINs are still derived
-- from. Unique ones stay whole, since they enforce uniqueness.
--
-- Mechanism: an event trigger on CREATE INDEX brings the new index's table in step (empties it if
-- non-unique, creates the GIN for each of its fields); one on DROP INDEX (sql_drop) drops the GINs
-- no other index of the table asks for. Dropping a collection or a database drops the GINs with the table or schema. And the
-- database always plans with the parameter values (plan_cache_mode, below), so that FerretDB's
-- prepared statements can match the index expressions.
-- The functions live in the schema "ferretdb.gin": a dot can never appear in a FerretDB database
-- name, so no MongoDB database maps to (or drops) this schema.

SET client_min_messages = warning;

CREATE SCHEMA IF NOT EXISTS "ferretdb.gin";

-- The GIN expression serving FerretDB's `@>` filter on the field indexed by one btree index column,
-- or NULL when the column is not a FerretDB field expression.
CREATE OR REPLACE FUNCTION "ferretdb.gin".gin_expression(def text) RETURNS text
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog AS $$
DECLARE
  keys text[];
  rebuilt text := '_jsonb';
  k text;
BEGIN
  SELECT array_agg(replace(m[1], '''''', '''') ORDER BY n) INTO keys
    FROM regexp_matches(def, '''((?:[^'']|'''')*)''::text', 'g') WITH ORDINALITY AS t(m, n);
  IF keys IS NULL THEN
    RETURN NULL;
  END IF;
  FOREACH k IN ARRAY keys LOOP
    rebuilt := format('(%s -> %L::text)', rebuilt, k);
  END LOOP;
  IF rebuilt IS DISTINCT FROM def THEN
    RETURN NULL; -- not `_jsonb -> 'a' [-> 'b' ...]`: nothing FerretDB filters on
  END IF;
  IF array_length(keys, 1) = 1 THEN
    RETURN format('(_jsonb -> %L::text)', keys[1]);
  END IF;
  RETURN format('(_jsonb #> %L::text[])', keys::text);
END;
$$;

-- Whether `tbl` is a FerretDB collection table: a `_jsonb` column, in a schema with FerretDB's
-- metadata table, and not that table itself.
CREATE OR REPLACE FUNCTION "ferretdb.gin".is_collection_table(tbl oid) RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
  SELECT EXISTS (
    SELECT 1
      FROM pg_class c
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = '_jsonb' AND NOT a.attisdropped
     WHERE c.oid = tbl
       AND c.relkind = 'r'
       AND c.relname <> '_ferretdb_database_metadata'
       AND EXISTS (SELECT 1 FROM pg_class m
                    WHERE m.relnamespace = c.relnamespace AND m.relname = '_ferretdb_database_metadata' AND m.relkind = 'r'));
$$;

-- Brings one table in step: a GIN for each field of its non-GIN indexes, and none of ours left
-- for a field no index has any more. Never raises: a failure here must not fail FerretDB's DDL.
CREATE OR REPLACE FUNCTION "ferretdb.gin".sync_table(tbl oid) RETURNS integer
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE
  nsp text;
  rel text;
  names text[];
  exprs text[];
  j integer;
  r record;
  changed integer := 0;
  lock_wait text := current_setting('lock_timeout');
BEGIN
  IF NOT "ferretdb.gin".is_collection_table(tbl) THEN
    RETURN 0;
  END IF;
  SELECT n.nspname, c.relname INTO nsp, rel FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = tbl;

  -- FerretDB's non-unique btree indexes serve none of its statements, yet every write maintains
  -- them: each becomes an empty placeholder of the same name and columns (`WHERE false`), which
  -- writes skip and FerretDB can still drop. Unique ones stay whole: they enforce uniqueness.
  -- The triggers stand aside meanwhile (`ferretdb_gin.swapping`): this function is already here.
  -- The drop waits for the table's open reads (a FerretDB cursor keeps its query open) and every
  -- statement after it would queue behind: past a short wait the index is left whole, for the
  -- next run of this function to try again.
  PERFORM set_config('ferretdb_gin.swapping', 'on', true);
  PERFORM set_config('lock_timeout', '2s', true);
  FOR r IN
    SELECT ic.relname AS idx, pg_get_indexdef(i.indexrelid) AS def
      FROM pg_index i
      JOIN pg_class ic ON ic.oid = i.indexrelid
      JOIN pg_am am ON am.oid = ic.relam
     WHERE i.indrelid = tbl AND am.amname = 'btree' AND NOT i.indisunique AND i.indpred IS NULL
       AND ic.relname LIKE '%\_idx'
       AND NOT EXISTS (SELECT 1 FROM generate_series(1, i.indnkeyatts) AS k
                        WHERE "ferretdb.gin".gin_expression(pg_get_indexdef(i.indexrelid, k, true)) IS NULL)
  LOOP
    BEGIN
      EXECUTE format('DROP INDEX %I.%I', nsp, r.idx);
      EXECUTE r.def || ' WHERE false';
      changed := changed + 1;
    EXCEPTION WHEN OTHERS THEN
      RAISE WARNING 'ferretdb.gin: could not empty %.%: %', nsp, r.idx, SQLERRM;
    END;
  END LOOP;
  PERFORM set_config('lock_timeout', lock_wait, true);
  PERFORM set_config('ferretdb_gin.swapping', '', true);

  SELECT coalesce(array_agg(n ORDER BY n), '{}'), coalesce(array_agg(e ORDER BY n), '{}') INTO names, exprs FROM (
  SELECT DISTINCT
         format('%s_%s_%s_gin', left(rel, 28), left(trim('_' FROM regexp_replace(lower(replace(e, '::text', '')), '^\(_jsonb (->|#>) |[^a-z0-9]+', '_', 'g')), 20), left(md5(rel || e), 8)) AS n,
         e
    FROM (SELECT "ferretdb.gin".gin_expression(pg_get_indexdef(i.indexrelid, k, true)) AS e
            FROM pg_index i
            JOIN pg_class ic ON ic.oid = i.indexrelid
            JOIN pg_am am ON am.oid = ic.relam
           CROSS JOIN LATERAL generate_series(1, i.indnkeyatts) AS k
           WHERE i.indrelid = tbl AND am.amname <> 'gin') s
   WHERE e IS NOT NULL) wanted;

  FOR j IN 1 .. coalesce(array_length(names, 1), 0) LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = names[j] AND n.nspname = nsp) THEN
      BEGIN
        EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I.%I USING gin (%s jsonb_path_ops) WITH (fastupdate = off)', names[j], nsp, rel, exprs[j]);
        changed := changed + 1;
      EXCEPTION WHEN OTHERS THEN
        RAISE WARNING 'ferretdb.gin: could not create % on %.%: %', names[j], nsp, rel, SQLERRM;
      END;
    END IF;
  END LOOP;

  FOR r IN
    SELECT ic.relname AS idx
      FROM pg_index i
      JOIN pg_class ic ON ic.oid = i.indexrelid
      JOIN pg_am am ON am.oid = ic.relam
     WHERE i.indrelid = tbl AND am.amname = 'gin' AND ic.relname LIKE '%\_gin'
       AND NOT (ic.relname = ANY (names))
  LOOP
    BEGIN
      EXECUTE format('DROP INDEX IF EXISTS %I.%I', nsp, r.idx);
      changed := changed + 1;
    EXCEPTION WHEN OTHERS THEN
      RAISE WARNING 'ferretdb.gin: could not drop %.%: %', nsp, r.idx, SQLERRM;
    END;
  END LOOP;
  RETURN changed;
END;
$$;

-- Brings every FerretDB collection table of the database in step (for a database that had
-- collections before this was installed); returns how many indexes were created or dropped.
CREATE OR REPLACE FUNCTION "ferretdb.gin".sync_all() RETURNS integer
LANGUAGE sql SET search_path = pg_catalog AS $$
  SELECT coalesce(sum("ferretdb.gin".sync_table(c.oid)), 0)::integer
    FROM pg_class c
   WHERE c.relkind = 'r' AND "ferretdb.gin".is_collection_table(c.oid);
$$;

CREATE OR REPLACE FUNCTION "ferretdb.gin".on_create_index() RETURNS event_trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE
  cmd record;
  tbl oid;
BEGIN
  IF current_setting('ferretdb_gin.swapping', true) = 'on' THEN
    RETURN;
  END IF;
  FOR cmd IN SELECT * FROM pg_event_trigger_ddl_commands() WHERE object_type = 'index' LOOP
    SELECT i.indrelid INTO tbl
      FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam
     WHERE i.indexrelid = cmd.objid AND am.amname <> 'gin'; -- our own GIN indexes: nothing to do
    IF tbl IS NOT NULL THEN
      PERFORM "ferretdb.gin".sync_table(tbl);
    END IF;
  END LOOP;
END;
$$;

CREATE OR REPLACE FUNCTION "ferretdb.gin".on_drop_index() RETURNS event_trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE
  nsp text;
BEGIN
  IF current_setting('ferretdb_gin.swapping', true) = 'on' THEN
    RETURN;
  END IF;
  FOR nsp IN
    SELECT DISTINCT schema_name FROM pg_event_trigger_dropped_objects()
     WHERE object_type = 'index' AND object_name NOT LIKE '%\_gin' -- dropping one of ours: nothing to do
  LOOP
    PERFORM "ferretdb.gin".sync_table(c.oid)
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = nsp AND c.relkind = 'r';
  END LOOP;
END;
$$;

-- FerretDB (pgx) runs its queries as prepared statements with the field name and value as
-- parameters: `_jsonb->$1 @> $2`. Only a custom plan, made with the values, can match the index
-- expression; a generic plan cannot use any index. PostgreSQL switches a statement to its generic
-- plan after five executions when that looks no dearer, which it does while the table is small,
-- and the statement then scans sequentially after the table has grown, until something
-- invalidates the plan (measured: 41 ms instead of 2.6 ms at 50,000 rows). So: always custom
-- plans in this database (new sessions; installed before FerretDB connects).
DO $$ BEGIN
  EXECUTE format('ALTER DATABASE %I SET plan_cache_mode = force_custom_plan', current_database());
END $$;

DROP EVENT TRIGGER IF EXISTS ferretdb_gin_create_index;
CREATE EVENT TRIGGER ferretdb_gin_create_index ON ddl_command_end
  WHEN TAG IN ('CREATE INDEX')
  EXECUTE FUNCTION "ferretdb.gin".on_create_index();

DROP EVENT TRIGGER IF EXISTS ferretdb_gin_drop_index;
CREATE EVENT TRIGGER ferretdb_gin_drop_index ON sql_drop
  WHEN TAG IN ('DROP INDEX')
  EXECUTE FUNCTION "ferretdb.gin".on_drop_index();
