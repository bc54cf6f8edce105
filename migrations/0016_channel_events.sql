-- Per-channel events: channels.events lists what a channel is sent (down, up, late, still_down); notifications are
-- made only for those.

ALTER TABLE "channels" ADD COLUMN "events" text[] DEFAULT '{down,up,late,still_down}'::text[] NOT NULL;
