/**
 * The users a gateway authenticates against, replaceable while it runs (the
 * container re-reads its secret): connections look a user up at the moment
 * they authenticate, so a replaced set applies to the next login.
 */
import type { UserCredentials, Users } from './users-file.js';

export class UserStore {
  private users: Users;

  constructor(users: Users) {
    this.users = users;
  }

  lookup(name: string): UserCredentials | undefined {
    return this.users.get(name);
  }

  replace(users: Users): void {
    this.users = users;
  }

  size(): number {
    return this.users.size;
  }
}
