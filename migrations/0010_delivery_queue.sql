DROP INDEX "notifications_pending_idx";--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "next_attempt_at" timestamp with time zone DEFAULT now();--> statement-breakpoint
-- The row is the queue item now: a pending notification is due at once, or when the live claim on it ends; others are done.
UPDATE "notifications" SET "next_attempt_at" = CASE WHEN "status" = 'pending' THEN greatest(now(), coalesce("claimed_until", now())) END;--> statement-breakpoint
ALTER TABLE "notifications" DROP COLUMN "claimed_until";--> statement-breakpoint
CREATE INDEX "notifications_due_idx" ON "notifications" USING btree ("next_attempt_at") WHERE "notifications"."status" = 'pending';
