#!/usr/bin/env node
'use strict';
require('../dist/debug/cli.js').main();
