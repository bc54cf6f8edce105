CREATE TABLE "maintenance_windows" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"starts_at" timestamp with time zone,
	"ends_at" timestamp with time zone,
	"cron" text,
	"tz" text,
	"duration" integer,
	"coverage" text NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"check_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"ended_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "maintenance_windows_kind" CHECK ("maintenance_windows"."kind" in ('once', 'recurring')),
	CONSTRAINT "maintenance_windows_coverage" CHECK ("maintenance_windows"."coverage" in ('project', 'tags', 'checks')),
	CONSTRAINT "maintenance_windows_once" CHECK ("maintenance_windows"."kind" <> 'once' or ("maintenance_windows"."starts_at" is not null and "maintenance_windows"."ends_at" is not null and "maintenance_windows"."ends_at" > "maintenance_windows"."starts_at"
        and "maintenance_windows"."cron" is null and "maintenance_windows"."tz" is null and "maintenance_windows"."duration" is null)),
	CONSTRAINT "maintenance_windows_recurring" CHECK ("maintenance_windows"."kind" <> 'recurring' or ("maintenance_windows"."cron" is not null and "maintenance_windows"."tz" is not null and "maintenance_windows"."duration" > 0
        and "maintenance_windows"."starts_at" is null and "maintenance_windows"."ends_at" is null))
);
--> statement-breakpoint
ALTER TABLE "flips" ADD COLUMN "maintenance_window_id" uuid;--> statement-breakpoint
ALTER TABLE "maintenance_windows" ADD CONSTRAINT "maintenance_windows_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "maintenance_windows_project_id_idx" ON "maintenance_windows" USING btree ("project_id");--> statement-breakpoint
ALTER TABLE "flips" ADD CONSTRAINT "flips_maintenance_window_id_maintenance_windows_id_fk" FOREIGN KEY ("maintenance_window_id") REFERENCES "public"."maintenance_windows"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "flips_maintenance_window_idx" ON "flips" USING btree ("maintenance_window_id") WHERE "flips"."maintenance_window_id" is not null;