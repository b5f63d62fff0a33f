// Named loggers, level patterns and a custom sink: `node packages/logging/examples/levels.js`.
'use strict';
const { getLogger, setLogLevels, setLogSink } = require('@vm/logging');

const records = [];
setLogSink((level, logger, message, meta) => records.push({ level, logger, message, ...meta }));
setLogLevels('*:INFO,arwen/host:TRACE');
getLogger('arwen/host').trace('compiled', { bytes: 1024 }); // kept: arwen/host is at TRACE
getLogger('arwenDriver').debug('not shown'); // dropped: every other logger is at INFO
getLogger('arwenDriver').info('started');
console.log(JSON.stringify(records));
