import { sql } from 'drizzle-orm';
import { check, index, pgTable, primaryKey, uuid } from 'drizzle-orm/pg-core';
import { checks } from './checks';

/**
 * Check dependencies: `check_id` depends on `depends_on_id` (its parent), both
 * of one project (the API makes sure). Deleting either check removes the edge.
 * The sweep asks both ways: a check's parents, and a parent's dependents
 * (hence the index on `depends_on_id`; the primary key serves `check_id`).
 */
export const checkDependencies = pgTable(
  'check_dependencies',
  {
    checkId: uuid('check_id')
      .notNull()
      .references(() => checks.id, { onDelete: 'cascade' }),
    dependsOnId: uuid('depends_on_id')
      .notNull()
      .references(() => checks.id, { onDelete: 'cascade' }),
  },
  (table) => [
    primaryKey({ columns: [table.checkId, table.dependsOnId] }),
    index('check_dependencies_depends_on_id_idx').on(table.dependsOnId),
    check('check_dependencies_not_itself', sql`${table.checkId} <> ${table.dependsOnId}`),
  ],
);
