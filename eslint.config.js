// ESLint over the portal's ES modules (chalicelib/web) and its node unit tests (make lint).
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["chalicelib/web/vendor/**", "node_modules/**", "tests/e2e/vendor/**", ".venv/**"] },
  js.configs.recommended,
  {
    files: ["chalicelib/web/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: { ...globals.browser },
    },
    rules: {
      "no-unused-vars": ["error", { args: "none", caughtErrors: "none" }],
      "no-var": "error",
      eqeqeq: ["error", "always", { null: "ignore" }],
    },
  },
  {
    files: ["tests/js/**/*.mjs", "eslint.config.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: { ...globals.node } },
  },
];
