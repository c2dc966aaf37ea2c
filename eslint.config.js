import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'data/**',
      'server/db/migrations/**',
      'tests/artifacts/**',
      '.tmp/**',
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // Tests may poke at untyped response bodies; product code may not.
    files: ['tests/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  // Routes are thin: reads and writes live in query and command modules beside their domain
  // (server/cases/queries.ts, server/citizens/queries.ts …), never in a route. Kept last so no
  // later object can switch it off.
  {
    files: ['server/routes/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'drizzle-orm', message: 'Routes do not query: put the read in a query module.' }],
          patterns: [
            { group: ['drizzle-orm/*'], message: 'Routes do not query: put the read in a query module.' },
            { group: ['**/db/client.js'], message: 'Routes do not hold a database handle.' },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'services',
          property: 'database',
          message: 'Routes do not hold a database handle: call a query or command module.',
        },
      ],
    },
  },
);
