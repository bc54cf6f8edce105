-- Alerts held back (maintenance windows, dependencies) and grouped: flips.held says why a flip's alert waits,
-- notifications.group_id folds the alerts of one sweep batch into one per channel, projects.group_alerts_above sets when.

ALTER TABLE "flips" ADD COLUMN "held" text;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "group_id" uuid;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "group_alerts_above" smallint DEFAULT 5;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_group_id_notifications_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."notifications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "notifications_group_idx" ON "notifications" USING btree ("group_id") WHERE "notifications"."group_id" is not null;--> statement-breakpoint
ALTER TABLE "flips" ADD CONSTRAINT "flips_held" CHECK ("flips"."held" is null or "flips"."held" in ('maintenance', 'dependency'));