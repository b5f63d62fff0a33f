#!/usr/bin/env node
'use strict';
require('../dist/process/arwenMain.js').main();
