import type { ApiKey, Role, User } from '@cronbeat/db';

/** Who is asking: a project's API key, or a signed-in person. */
export type Principal = { kind: 'key'; key: ApiKey } | { kind: 'session'; user: User; tokenHash: string };

/**
 * What a route needs. `user` needs only a signed-in person; the others need
 * a project and at least that much power in it.
 */
export type Permission = 'user' | 'read' | 'write' | 'admin' | 'owner';

/** Powers in increasing order: each includes the ones before it. */
const LEVEL = { read: 1, write: 2, admin: 3, owner: 4 } as const;
export type Level = (typeof LEVEL)[keyof typeof LEVEL];

/** owner: everything; admin: everything but deleting the project; member: checks and channels; readonly: see only. */
export const ROLE_LEVEL: Record<Role, Level> = { owner: 4, admin: 3, member: 2, readonly: 1 };

/** A read-write key can do what a member can; a read-only key what a readonly member can. */
export const keyLevel = (key: ApiKey): Level => (key.access === 'read-write' ? LEVEL.write : LEVEL.read);

export const levelOf = (permission: Exclude<Permission, 'user'>): Level => LEVEL[permission];

/** A caller's standing in the project a request is about. */
export interface ProjectAccess {
  projectId: string;
  level: Level;
  /** Whether the caller may see ping URLs and channel ids (not read-only callers: a ping URL lets one report a job as done). */
  seesSecrets: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    access: ProjectAccess | null;
  }
  interface FastifyContextConfig {
    /** What the route needs; routes without it under /api/v1 need `read`. */
    permission?: Permission;
    /** Only a signed-in person, not an API key, may call it (key and member management). */
    sessionOnly?: boolean;
  }
}

/** The project a request is about; set by `authorize`, which every project route runs after. */
export function accessOf(request: { access: ProjectAccess | null }): ProjectAccess {
  if (!request.access) throw new Error('route has no project access: is its permission configured?');
  return request.access;
}
