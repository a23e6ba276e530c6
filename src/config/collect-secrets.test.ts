import { describe, expect, it } from "vitest";
import { createRedactor } from "../core/redact.js";
import { collectSecrets } from "./collect-secrets.js";

describe("collectSecrets", () => {
  it("gathers profile keys, endpoint credentials and the environment's secret values", () => {
    const secrets = collectSecrets({ GITHUB_TOKEN: "ghtoken-value-1", PATH: "/usr/bin:/bin", HOME: "/home/me" }, [
      { apiKey: "profile-key-one", endpoint: "https://api.example.com/v1" },
      { endpoint: "https://bob:proxy%40pass@proxy.example/v1?key=query-secret-1" },
      { apiKey: "short", endpoint: "http://localhost:11434" },
      { endpoint: "https://tokenonly-user-1@git.example/v1" },
    ]);
    expect(secrets.sort()).toEqual(
      ["ghtoken-value-1", "profile-key-one", "proxy%40pass", "proxy@pass", "query-secret-1", "tokenonly-user-1"].sort(),
    );
  });

  it("feeds a redactor that hides every one of them", () => {
    const redactor = createRedactor(
      collectSecrets({ DB_PASSWORD: "correct horse battery" }, [{ apiKey: "profile-key-one", endpoint: "http://x" }]),
    );
    expect(redactor.text("key profile-key-one, db correct horse battery")).toBe("key [REDACTED], db [REDACTED]");
  });
});
