// A test file with no test in it: scripts/count-reporter.mjs must count zero tests for it.
export const nothing = 0;
