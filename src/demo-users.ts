/**
 * Who is who in the demo enterprise that `campus seed --demo` creates (src/cli/demo-enterprise.ts)
 * and the development sign-in page lists (src/http/web.routes.ts).
 */
export const DEMO_SLUG = 'demo-university';

export interface DemoUser {
  lmsUserId: number;
  username: string;
  email: string;
  fullName: string;
  role: 'enterprise_admin' | 'enterprise_learner';
  /** What the sign-in page says about this user. */
  blurb: string;
}

const mail = (username: string) => `${username}@demo-university.example`;

export const DEMO_USERS: DemoUser[] = [
  {
    lmsUserId: 4001,
    username: 'ada.lovelace',
    email: mail('ada.lovelace'),
    fullName: 'Ada Lovelace',
    role: 'enterprise_admin',
    blurb: 'Admin: budgets, assignments, requests',
  },
  {
    lmsUserId: 3001,
    username: 'grace.hopper',
    email: mail('grace.hopper'),
    fullName: 'Grace Hopper',
    role: 'enterprise_learner',
    blurb: 'Learner with program certificates and one enrollment',
  },
  {
    lmsUserId: 3002,
    username: 'alan.turing',
    email: mail('alan.turing'),
    fullName: 'Alan Turing',
    role: 'enterprise_learner',
    blurb: 'Learner with an allocated assignment and an open request',
  },
  {
    lmsUserId: 4011,
    username: 'katherine.johnson',
    email: mail('katherine.johnson'),
    fullName: 'Katherine Johnson',
    role: 'enterprise_learner',
    blurb: 'Learner who accepted an assignment',
  },
  {
    lmsUserId: 4012,
    username: 'margaret.hamilton',
    email: mail('margaret.hamilton'),
    fullName: 'Margaret Hamilton',
    role: 'enterprise_learner',
    blurb: 'Learner with a cancelled assignment and a declined request',
  },
  {
    lmsUserId: 4013,
    username: 'edsger.dijkstra',
    email: mail('edsger.dijkstra'),
    fullName: 'Edsger Dijkstra',
    role: 'enterprise_learner',
    blurb: 'Learner with two allocated assignments and a request',
  },
];
