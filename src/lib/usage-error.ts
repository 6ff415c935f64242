/** An error whose message is meant for the person at the terminal (the `besa` command prints it without a stack trace). */
export class UsageError extends Error {}
