CREATE TABLE "check_dependencies" (
	"check_id" uuid NOT NULL,
	"depends_on_id" uuid NOT NULL,
	CONSTRAINT "check_dependencies_check_id_depends_on_id_pk" PRIMARY KEY("check_id","depends_on_id"),
	CONSTRAINT "check_dependencies_not_itself" CHECK ("check_dependencies"."check_id" <> "check_dependencies"."depends_on_id")
);
--> statement-breakpoint
ALTER TABLE "check_dependencies" ADD CONSTRAINT "check_dependencies_check_id_checks_id_fk" FOREIGN KEY ("check_id") REFERENCES "public"."checks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "check_dependencies" ADD CONSTRAINT "check_dependencies_depends_on_id_checks_id_fk" FOREIGN KEY ("depends_on_id") REFERENCES "public"."checks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "check_dependencies_depends_on_id_idx" ON "check_dependencies" USING btree ("depends_on_id");