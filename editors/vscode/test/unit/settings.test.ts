import { test } from "node:test";
import assert from "node:assert/strict";
import { didChangeConfigurationParams, readSettings, toServerConfig } from "../../src/settings";

const reader = (values: Record<string, unknown>) => ({ get: <T>(k: string) => values[k] as T | undefined });

test("camelCase settings become the server's kebab-case keys; unset ones are left out", () => {
  const s = readSettings(reader({ ignore: ["REL002", " "], severity: { SEC001: "Critical" }, httpTimeout: 12.7, maxFileSize: 1000, exclude: ["build/**"] }));
  assert.deepEqual(toServerConfig(s), {
    ignore: ["REL002"],
    severity: { SEC001: "critical" },
    exclude: ["build/**"],
    "http-timeout": 12,
    "max-file-size": 1000,
  });
});

test("defaults map to an empty object so devops-intel.toml applies", () => {
  assert.deepEqual(toServerConfig(readSettings(reader({}))), {});
});

test("select: null means all rules, an array is passed through (even empty)", () => {
  assert.deepEqual(toServerConfig(readSettings(reader({ select: ["SEC", "REL001"] }))), { select: ["SEC", "REL001"] });
  assert.deepEqual(toServerConfig(readSettings(reader({ select: [] }))), { select: [] });
  assert.equal("select" in toServerConfig(readSettings(reader({ select: null }))), false);
});

test("didChangeConfiguration nests the config under devops-intel", () => {
  assert.deepEqual(didChangeConfigurationParams({ ignore: ["SEC014"] }), { settings: { "devops-intel": { ignore: ["SEC014"] } } });
});

test("non-positive numbers are dropped", () => {
  assert.deepEqual(toServerConfig({ httpTimeout: 0, maxFileSize: -5 }), {});
});
