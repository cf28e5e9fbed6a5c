// ESM-only packages (Octokit, fauxqs and their dependencies) are resolved through their
// "import" condition and compiled to CommonJS by SWC; everything else loads untouched.
const esmPackages = [
  "@octokit",
  "fauxqs",
  "universal-user-agent",
  "before-after-hook",
  "fast-content-type-parse",
  "toad-cache",
  "universal-github-app-jwt",
  "valibot",
  "json-with-bigint",
  "content-type",
];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  resolver: "<rootDir>/test/helpers/jest-resolver.js",
  transform: {
    "^.+\\.(t|j|mj)s$": [
      "@swc/jest",
      {
        jsc: { parser: { syntax: "typescript" }, target: "es2022" },
        module: { type: "commonjs" },
      },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join("|")})/)`],
  moduleFileExtensions: ["ts", "js", "mjs", "cjs", "json"],
  testTimeout: 30000,
};
