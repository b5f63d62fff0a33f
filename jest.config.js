// One jest project per package; tests import sibling packages from their sources (no build needed for types).
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
    moduleNameMapper: { '^@vm/([^/]+)$': '<rootDir>/../$1/src' },
    transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(__dirname, 'tsconfig.jest.json') }] },
  })),
};
