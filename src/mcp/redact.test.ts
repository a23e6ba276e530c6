import { describe, expect, it } from "vitest";
import { createRedactor } from "./redact.js";

describe("createRedactor", () => {
  it("hides secret env values, the server's secret env, header values and credential shapes", () => {
    const redact = createRedactor({
      env: { MY_SERVICE_TOKEN: "tok-1234567890", HOME: "/home/someone" },
      serverEnv: { BRAVE_API_KEY: "BSA-abcdefghij", PORT: "30001234" },
      headers: { Authorization: "Bearer header-secret-value" },
    });
    const text =
      "using tok-1234567890 and BSA-abcdefghij on port 30001234 from /home/someone; header-secret-value; sk-ant-api03-aaaaaaaaaaaaaaaaaaaaaa; Authorization: Bearer abcd1234efgh5678ijkl";
    expect(redact(text)).toBe(
      "using [REDACTED] and [REDACTED] on port 30001234 from /home/someone; [REDACTED]; [REDACTED]; Authorization: Bearer [REDACTED]",
    );
  });
});
