// One jest project per package; tests import sibling packages (and their subpath entries, `@vm/host/fuzz` ->
// `host/src/fuzz`) from their sources (no build needed for types).
const path = require('path');
const fs = require('fs');

const packagesDir = path.join(__dirname, 'packages');
const packages = fs
  .readdirSync(packagesDir)
  .filter((name) => fs.existsSync(path.join(packagesDir, name, 'package.json')));

module.exports = {
  projects: packages.map((name) => ({
    displayName: name,
    rootDir: path.join(packagesDir, name),
    testEnvironment: 'node',
    testMatch: ['<rootDir>/test/**/*.test.ts'],
    setupFiles: [path.join(__dirname, 'jest.setup.js')],
    moduleNameMapper: { '^@vm/([^/]+)$': '<rootDir>/../$1/src', '^@vm/([^/]+)/([a-z]+)$': '<rootDir>/../$1/src/$2' },
    transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(__dirname, 'tsconfig.jest.json') }] },
  })),
};
