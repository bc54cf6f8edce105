-- Invitations are accepted through a one-time link; the address alone no longer admits anyone.
-- Pending invitations made before links get a hash of nothing anyone holds, so they
-- cannot be accepted and expire as usual; inviting the same email again sends a working link.
ALTER TABLE "invitations" ADD COLUMN "token_hash" text;--> statement-breakpoint
ALTER TABLE "invitations" ADD COLUMN "expires_at" timestamp with time zone;--> statement-breakpoint
UPDATE "invitations" SET "token_hash" = 'unusable:' || "id"::text, "expires_at" = "created_at" + interval '7 days';--> statement-breakpoint
ALTER TABLE "invitations" ALTER COLUMN "token_hash" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "invitations" ALTER COLUMN "expires_at" SET NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "invitations_token_hash_key" ON "invitations" USING btree ("token_hash");
