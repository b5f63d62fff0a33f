#!/usr/bin/env node
'use strict';
require('../dist/process/arwenMain.js')
  .main()
  .catch((error) => {
    process.stderr.write(`arwen failed: ${error && error.stack ? error.stack : error}\n`);
    process.exit(2);
  });
