import { type Static, Type } from 'typebox';
import { oneOf, Timestamp, Uuid } from './common';
import { REPORT_EVERY, ROLES } from './values';

const Email = Type.String({ format: 'email', maxLength: 254 });
/** Long enough to resist guessing; capped so hashing cannot be made expensive. */
const NewPassword = Type.String({ minLength: 10, maxLength: 200, description: '10 to 200 characters' });

/** An invitation's one-time token: 256 random bits, base64url, as in its link. */
export const InvitationToken = Type.String({ pattern: '^[A-Za-z0-9_-]{43}$', description: 'the token from the invitation link' });

export const SignUp = Type.Object(
  {
    email: Email,
    password: NewPassword,
    projectName: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'name of the first project. Default: "My project"' }),
    ),
    invitation: Type.Optional({
      ...InvitationToken,
      description: 'the token of an invitation link: admits sign-up where registration is closed',
    }),
  },
  { additionalProperties: false },
);

export const LogIn = Type.Object(
  { email: Type.String({ maxLength: 254 }), password: Type.String({ maxLength: 200 }) },
  { additionalProperties: false },
);

export const ChangePassword = Type.Object(
  { currentPassword: Type.String({ maxLength: 200 }), newPassword: NewPassword },
  { additionalProperties: false },
);

export const Role = oneOf(ROLES);

export const ReportEvery = oneOf(REPORT_EVERY, {
  description: 'an emailed summary of your projects: weekly on Mondays or monthly on the 1st, at 09:00 in your time zone',
});

/** An IANA time zone name; the server checks it against the runtime's zone database and stores the canonical spelling. */
export const AccountTimeZone = Type.String({
  minLength: 1,
  maxLength: 64,
  description: 'your IANA time zone, e.g. Europe/Berlin: reports go out at 09:00 there. Default: UTC',
});

/** Change either setting or both; the next report's due time is recomputed. */
export const AccountPatch = Type.Object(
  { reportEvery: Type.Optional(ReportEvery), timeZone: Type.Optional(AccountTimeZone) },
  { additionalProperties: false, minProperties: 1 },
);

export const User = Type.Object({
  id: Uuid,
  email: Type.String(),
  isAdmin: Type.Boolean(),
  createdAt: Timestamp,
  reportEvery: ReportEvery,
  nextReportAt: Type.Union([Timestamp, Type.Null()]),
  timeZone: AccountTimeZone,
});

/** A project as the session lists it: its name and your role; `GET /projects/:id` has its settings. */
export const ProjectOfSession = Type.Object({ id: Uuid, name: Type.String(), role: Role });

/** `GET /auth/me`: who is signed in, and their projects. */
export const Me = Type.Object({
  user: User,
  emailEnabled: Type.Boolean({ description: 'false when the server has no SMTP_URL: reports cannot be turned on' }),
  projects: Type.Array(ProjectOfSession),
});

export type Role = Static<typeof Role>;
export type ReportEvery = Static<typeof ReportEvery>;
export type SignUp = Static<typeof SignUp>;
export type LogIn = Static<typeof LogIn>;
export type ChangePassword = Static<typeof ChangePassword>;
export type AccountPatch = Static<typeof AccountPatch>;
export type User = Static<typeof User>;
export type ProjectOfSession = Static<typeof ProjectOfSession>;
export type Me = Static<typeof Me>;
