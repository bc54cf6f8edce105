ALTER TABLE "checks" ADD COLUMN "failure_threshold" smallint DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "checks" ADD COLUMN "recovery_threshold" smallint DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "checks" ADD COLUMN "success_keywords" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "checks" ADD COLUMN "failure_keywords" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "checks" ADD COLUMN "early_tolerance" integer;--> statement-breakpoint
ALTER TABLE "checks" ADD COLUMN "max_concurrent_runs" smallint;--> statement-breakpoint
ALTER TABLE "checks" ADD COLUMN "duration_anomaly" jsonb;--> statement-breakpoint
ALTER TABLE "checks" ADD COLUMN "run_record" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "flips" ADD COLUMN "runs" jsonb;--> statement-breakpoint
ALTER TABLE "pings" ADD COLUMN "keyword" text;--> statement-breakpoint
ALTER TABLE "checks" ADD CONSTRAINT "checks_failure_threshold" CHECK ("checks"."failure_threshold" between 1 and 100);--> statement-breakpoint
ALTER TABLE "checks" ADD CONSTRAINT "checks_recovery_threshold" CHECK ("checks"."recovery_threshold" between 1 and 100);