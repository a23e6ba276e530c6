import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

// Every Node process a test starts (the CLI, MCP servers, hooks) would otherwise parse
// this extra CA bundle at start, ~50 ms of CPU each on a machine that sets it; the tests
// talk only to local plain-HTTP servers.
delete process.env.NODE_EXTRA_CA_CERTS;

export default defineConfig({
  test: {
    include: ["src/**/*.test.{ts,tsx}", "test/**/*.test.{ts,tsx}"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    // Most end-to-end tests wait on a child process or a socket, so two workers keep a
    // two-core machine busy where vitest's default (cores - 1) would run them one by one.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // A worker keeps its loaded modules from one test file to the next (a third of the
    // suite's CPU went to loading them again). Tests own their state: each starts its own
    // servers, projects and runtimes, and a test about module loading resets the registry.
    isolate: false,
  },
});
