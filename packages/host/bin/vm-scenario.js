#!/usr/bin/env node
'use strict';
require('../dist/scenario/cli.js').main();
