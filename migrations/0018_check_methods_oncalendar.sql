ALTER TABLE "checks" DROP CONSTRAINT "checks_one_schedule";--> statement-breakpoint
ALTER TABLE "checks" ADD COLUMN "oncalendar" text;--> statement-breakpoint
ALTER TABLE "checks" ADD COLUMN "methods" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "checks" ADD CONSTRAINT "checks_methods" CHECK ("checks"."methods" in ('', 'POST'));--> statement-breakpoint
ALTER TABLE "checks" ADD CONSTRAINT "checks_one_schedule" CHECK (num_nonnulls("checks"."period", "checks"."cron", "checks"."oncalendar") = 1);