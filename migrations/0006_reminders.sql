ALTER TABLE "checks" ADD COLUMN "remind_every" integer;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "reminder" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "checks_reminders_idx" ON "checks" USING btree ("id") WHERE "checks"."status" = 'down' and "checks"."remind_every" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_flip_channel_reminder_key" ON "notifications" USING btree ("flip_id","channel_id","reminder");--> statement-breakpoint
ALTER TABLE "checks" ADD CONSTRAINT "checks_remind_every" CHECK ("checks"."remind_every" is null or "checks"."remind_every" > 0);--> statement-breakpoint
DROP INDEX "notifications_flip_channel_key";
