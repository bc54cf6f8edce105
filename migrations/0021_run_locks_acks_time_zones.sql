CREATE TABLE "run_locks" (
	"check_id" uuid PRIMARY KEY NOT NULL,
	"token" bigint DEFAULT 0 NOT NULL,
	"holder_id" text,
	"holder_host" text,
	"holder_pid" integer,
	"acquired_at" timestamp with time zone,
	"expires_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "checks" ADD COLUMN "start_keywords" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "flips" ADD COLUMN "acknowledged_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "flips" ADD COLUMN "acknowledged_by" uuid;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "time_zone" text DEFAULT 'UTC' NOT NULL;--> statement-breakpoint
ALTER TABLE "run_locks" ADD CONSTRAINT "run_locks_check_id_checks_id_fk" FOREIGN KEY ("check_id") REFERENCES "public"."checks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flips" ADD CONSTRAINT "flips_acknowledged_by_users_id_fk" FOREIGN KEY ("acknowledged_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "flips_acknowledged_by_idx" ON "flips" USING btree ("acknowledged_by") WHERE "flips"."acknowledged_by" is not null;