DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM pg_namespace WHERE nspname = 'neoworker') THEN
        CREATE SCHEMA neoworker;
    END IF;
END $EF$;
CREATE TABLE IF NOT EXISTS neoworker.__ef_migrations_history (
    migration_id character varying(150) NOT NULL,
    product_version character varying(32) NOT NULL,
    CONSTRAINT pk___ef_migrations_history PRIMARY KEY (migration_id)
);

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM neoworker.__ef_migrations_history WHERE "migration_id" = '20261127050538_InitialSchema') THEN
        IF NOT EXISTS(SELECT 1 FROM pg_namespace WHERE nspname = 'neoworker') THEN
            CREATE SCHEMA neoworker;
        END IF;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM neoworker.__ef_migrations_history WHERE "migration_id" = '20261127050538_InitialSchema') THEN
    CREATE TABLE neoworker.api_keys (
        id uuid NOT NULL,
        name character varying(64) NOT NULL,
        key_hash character(64) NOT NULL,
        user_id character varying(128) NOT NULL,
        role character varying(16) NOT NULL,
        created_at timestamp with time zone NOT NULL,
        revoked_at timestamp with time zone,
        CONSTRAINT pk_api_keys PRIMARY KEY (id)
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM neoworker.__ef_migrations_history WHERE "migration_id" = '20261127050538_InitialSchema') THEN
    CREATE TABLE neoworker.jobs (
        id uuid NOT NULL,
        function_id character varying(128) NOT NULL,
        user_id character varying(128) NOT NULL,
        status character varying(16) NOT NULL,
        code text NOT NULL,
        code_sha256 character(64) NOT NULL,
        input text,
        sealed_secrets text,
        timeout_ms integer,
        result text,
        error_code character varying(64),
        error text,
        logs text,
        logs_truncated boolean NOT NULL,
        execution_time_ms bigint,
        gas_used bigint,
        requested_at timestamp with time zone NOT NULL,
        created_at timestamp with time zone NOT NULL,
        dispatched_at timestamp with time zone,
        started_at timestamp with time zone,
        completed_at timestamp with time zone,
        attempt_count integer NOT NULL,
        worker_id character varying(128),
        enclave_id character varying(128),
        lease_expires_at timestamp with time zone,
        CONSTRAINT pk_jobs PRIMARY KEY (id)
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM neoworker.__ef_migrations_history WHERE "migration_id" = '20261127050538_InitialSchema') THEN
    CREATE UNIQUE INDEX ix_api_keys_key_hash ON neoworker.api_keys (key_hash);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM neoworker.__ef_migrations_history WHERE "migration_id" = '20261127050538_InitialSchema') THEN
    CREATE UNIQUE INDEX ix_api_keys_name ON neoworker.api_keys (name);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM neoworker.__ef_migrations_history WHERE "migration_id" = '20261127050538_InitialSchema') THEN
    CREATE INDEX ix_jobs_function_id_requested_at ON neoworker.jobs (function_id, requested_at DESC);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM neoworker.__ef_migrations_history WHERE "migration_id" = '20261127050538_InitialSchema') THEN
    CREATE INDEX ix_jobs_status_requested_at ON neoworker.jobs (status, requested_at DESC);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM neoworker.__ef_migrations_history WHERE "migration_id" = '20261127050538_InitialSchema') THEN
    CREATE INDEX ix_jobs_undispatched ON neoworker.jobs (created_at) WHERE dispatched_at IS NULL;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM neoworker.__ef_migrations_history WHERE "migration_id" = '20261127050538_InitialSchema') THEN
    CREATE INDEX ix_jobs_user_id_requested_at ON neoworker.jobs (user_id, requested_at DESC);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM neoworker.__ef_migrations_history WHERE "migration_id" = '20261127050538_InitialSchema') THEN
    INSERT INTO neoworker.__ef_migrations_history (migration_id, product_version)
    VALUES ('20261127050538_InitialSchema', '10.0.5');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM neoworker.__ef_migrations_history WHERE "migration_id" = '20261127055025_NamedSecrets') THEN
    ALTER TABLE neoworker.jobs ADD sealed_named_secrets text;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM neoworker.__ef_migrations_history WHERE "migration_id" = '20261127055025_NamedSecrets') THEN
    CREATE TABLE neoworker.user_secrets (
        user_id character varying(128) NOT NULL,
        name character varying(64) NOT NULL,
        sealed_value text NOT NULL,
        created_at timestamp with time zone NOT NULL,
        updated_at timestamp with time zone NOT NULL,
        CONSTRAINT pk_user_secrets PRIMARY KEY (user_id, name)
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM neoworker.__ef_migrations_history WHERE "migration_id" = '20261127055025_NamedSecrets') THEN
    INSERT INTO neoworker.__ef_migrations_history (migration_id, product_version)
    VALUES ('20261127055025_NamedSecrets', '10.0.5');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM neoworker.__ef_migrations_history WHERE "migration_id" = '20261127061726_AttestationProofs') THEN
    CREATE TABLE neoworker.enclave_evidence (
        enclave_key_id character varying(32) NOT NULL,
        enclave_public_key text NOT NULL,
        evidence_type character varying(32) NOT NULL,
        evidence text NOT NULL,
        simulated boolean NOT NULL,
        mr_enclave character varying(64),
        first_seen_at timestamp with time zone NOT NULL,
        CONSTRAINT pk_enclave_evidence PRIMARY KEY (enclave_key_id)
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM neoworker.__ef_migrations_history WHERE "migration_id" = '20261127061726_AttestationProofs') THEN
    CREATE TABLE neoworker.attestation_proofs (
        job_id uuid NOT NULL,
        statement text NOT NULL,
        signature text NOT NULL,
        enclave_key_id character varying(32) NOT NULL,
        created_at timestamp with time zone NOT NULL,
        CONSTRAINT pk_attestation_proofs PRIMARY KEY (job_id),
        CONSTRAINT fk_attestation_proofs_enclave_evidence_enclave_key_id FOREIGN KEY (enclave_key_id) REFERENCES neoworker.enclave_evidence (enclave_key_id) ON DELETE RESTRICT,
        CONSTRAINT fk_attestation_proofs_jobs_job_id FOREIGN KEY (job_id) REFERENCES neoworker.jobs (id) ON DELETE CASCADE
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM neoworker.__ef_migrations_history WHERE "migration_id" = '20261127061726_AttestationProofs') THEN
    CREATE INDEX ix_attestation_proofs_enclave_key_id ON neoworker.attestation_proofs (enclave_key_id);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM neoworker.__ef_migrations_history WHERE "migration_id" = '20261127061726_AttestationProofs') THEN
    CREATE INDEX ix_enclave_evidence_first_seen_at ON neoworker.enclave_evidence (first_seen_at);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM neoworker.__ef_migrations_history WHERE "migration_id" = '20261127061726_AttestationProofs') THEN
    INSERT INTO neoworker.__ef_migrations_history (migration_id, product_version)
    VALUES ('20261127061726_AttestationProofs', '10.0.5');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM neoworker.__ef_migrations_history WHERE "migration_id" = '20261127062803_IdempotencyKeys') THEN
    ALTER TABLE neoworker.jobs ADD idempotency_key character varying(128);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM neoworker.__ef_migrations_history WHERE "migration_id" = '20261127062803_IdempotencyKeys') THEN
    ALTER TABLE neoworker.jobs ADD request_sha256 character(64);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM neoworker.__ef_migrations_history WHERE "migration_id" = '20261127062803_IdempotencyKeys') THEN
    CREATE UNIQUE INDEX ix_jobs_user_id_idempotency_key ON neoworker.jobs (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM neoworker.__ef_migrations_history WHERE "migration_id" = '20261127062803_IdempotencyKeys') THEN
    INSERT INTO neoworker.__ef_migrations_history (migration_id, product_version)
    VALUES ('20261127062803_IdempotencyKeys', '10.0.5');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM neoworker.__ef_migrations_history WHERE "migration_id" = '20261127073511_JobListingCancelCorrelation') THEN
    DROP INDEX neoworker.ix_jobs_function_id_requested_at;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM neoworker.__ef_migrations_history WHERE "migration_id" = '20261127073511_JobListingCancelCorrelation') THEN
    DROP INDEX neoworker.ix_jobs_status_requested_at;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM neoworker.__ef_migrations_history WHERE "migration_id" = '20261127073511_JobListingCancelCorrelation') THEN
    DROP INDEX neoworker.ix_jobs_user_id_requested_at;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM neoworker.__ef_migrations_history WHERE "migration_id" = '20261127073511_JobListingCancelCorrelation') THEN
    ALTER TABLE neoworker.jobs ADD cancel_requested_at timestamp with time zone;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM neoworker.__ef_migrations_history WHERE "migration_id" = '20261127073511_JobListingCancelCorrelation') THEN
    ALTER TABLE neoworker.jobs ADD correlation_id character varying(64);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM neoworker.__ef_migrations_history WHERE "migration_id" = '20261127073511_JobListingCancelCorrelation') THEN
    CREATE INDEX ix_jobs_cancel_requested ON neoworker.jobs (worker_id) WHERE cancel_requested_at IS NOT NULL AND status = 'Running';
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM neoworker.__ef_migrations_history WHERE "migration_id" = '20261127073511_JobListingCancelCorrelation') THEN
    CREATE INDEX ix_jobs_completed ON neoworker.jobs (completed_at) WHERE completed_at IS NOT NULL;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM neoworker.__ef_migrations_history WHERE "migration_id" = '20261127073511_JobListingCancelCorrelation') THEN
    CREATE INDEX ix_jobs_function_id_requested_at_id ON neoworker.jobs (function_id, requested_at DESC, id DESC);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM neoworker.__ef_migrations_history WHERE "migration_id" = '20261127073511_JobListingCancelCorrelation') THEN
    CREATE INDEX ix_jobs_listing ON neoworker.jobs (requested_at DESC, id DESC);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM neoworker.__ef_migrations_history WHERE "migration_id" = '20261127073511_JobListingCancelCorrelation') THEN
    CREATE INDEX ix_jobs_status_requested_at_id ON neoworker.jobs (status, requested_at DESC, id DESC);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM neoworker.__ef_migrations_history WHERE "migration_id" = '20261127073511_JobListingCancelCorrelation') THEN
    CREATE INDEX ix_jobs_user_id_requested_at_id ON neoworker.jobs (user_id, requested_at DESC, id DESC);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM neoworker.__ef_migrations_history WHERE "migration_id" = '20261127073511_JobListingCancelCorrelation') THEN
    INSERT INTO neoworker.__ef_migrations_history (migration_id, product_version)
    VALUES ('20261127073511_JobListingCancelCorrelation', '10.0.5');
    END IF;
END $EF$;
COMMIT;

