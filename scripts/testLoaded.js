#!/usr/bin/env node
// `npm run test:loaded`: the test suite while CPU-bound processes compete for the machine (two by default, or
// LOAD_PROCESSES), as on a shared CI runner. A test that passes alone but fails here depends on timing.
'use strict';
const { spawn, spawnSync } = require('node:child_process');

const count = Number(process.env.LOAD_PROCESSES ?? 2);
const burners = Array.from({ length: count }, () => spawn(process.execPath, ['-e', 'for (;;);'], { stdio: 'ignore' }));
const stop = () => burners.forEach((burner) => burner.kill('SIGKILL'));
process.on('exit', stop);
console.log(`running the tests with ${count} busy processes beside them`);
const result = spawnSync('npm', ['test', '--', ...process.argv.slice(2)], { stdio: 'inherit' });
stop();
process.exit(result.status ?? 1);
