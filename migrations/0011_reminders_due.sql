DROP INDEX "checks_reminders_idx";--> statement-breakpoint
ALTER TABLE "checks" ADD COLUMN "remind_at" timestamp with time zone;--> statement-breakpoint
-- Checks down with reminders: the sweep looks at once and sets the time of the next reminder itself.
UPDATE "checks" SET "remind_at" = now() WHERE "status" = 'down' AND "remind_every" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "checks_remind_at_idx" ON "checks" USING btree ("remind_at") WHERE "checks"."remind_at" is not null;
