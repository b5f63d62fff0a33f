#!/usr/bin/env node
'use strict';
require('../dist/fuzz/cli.js').main();
