ALTER TABLE "checks" ADD COLUMN "sweep_at" timestamp with time zone;--> statement-breakpoint
UPDATE "checks" SET "sweep_at" = CASE
  WHEN "status" = 'up' AND "last_start" IS NULL THEN "next_due"
  WHEN "status" IN ('new', 'up', 'late') THEN "alert_after"
END;--> statement-breakpoint
DROP INDEX "checks_alert_after_idx";--> statement-breakpoint
DROP INDEX "checks_next_due_idx";--> statement-breakpoint
CREATE INDEX "checks_sweep_at_idx" ON "checks" USING btree ("sweep_at") WHERE "checks"."sweep_at" is not null;--> statement-breakpoint
ALTER TABLE "checks" ADD CONSTRAINT "checks_swept_in_time" CHECK (case
        when "checks"."status" = 'up' and "checks"."last_start" is null
          then "checks"."next_due" is null or ("checks"."sweep_at" is not null and "checks"."sweep_at" <= "checks"."next_due")
        when "checks"."status" in ('new', 'up', 'late')
          then "checks"."alert_after" is null or ("checks"."sweep_at" is not null and "checks"."sweep_at" <= "checks"."alert_after")
        else true
      end);
