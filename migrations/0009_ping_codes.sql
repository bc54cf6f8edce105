-- A check's ping secret is no longer its id. Checks made before keep their ping URLs: their code is their id.
-- New checks get a random one (the column default); rotating a code ends the old URL.
ALTER TABLE "checks" ADD COLUMN "ping_code" uuid;--> statement-breakpoint
UPDATE "checks" SET "ping_code" = "id";--> statement-breakpoint
ALTER TABLE "checks" ALTER COLUMN "ping_code" SET DEFAULT gen_random_uuid();--> statement-breakpoint
ALTER TABLE "checks" ALTER COLUMN "ping_code" SET NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "checks_ping_code_key" ON "checks" USING btree ("ping_code");--> statement-breakpoint
-- ?create=1: which checks it made (they count against the project's limit), the limit, and whether they alert every channel.
ALTER TABLE "checks" ADD COLUMN "auto_created" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "auto_create_limit" integer DEFAULT 1000 NOT NULL;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "auto_create_attach_channels" boolean DEFAULT true NOT NULL;
