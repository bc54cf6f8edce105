-- Per-channel events: channels.events lists what a channel is sent (down, up, late, still_down); notifications are
-- made only for those. flip_to_status reads a flip's status for insertNotifications when the flip was inserted by the
-- same statement (the sweep's flips): a plain join cannot see a sibling CTE's rows, while a VOLATILE function's query
-- takes a fresh snapshot after them.

ALTER TABLE "channels" ADD COLUMN "events" text[] DEFAULT '{down,up,late,still_down}'::text[] NOT NULL;--> statement-breakpoint
CREATE FUNCTION "flip_to_status"("flip" bigint) RETURNS text LANGUAGE sql VOLATILE AS $$ SELECT "to_status" FROM "flips" WHERE "id" = "flip" $$;
