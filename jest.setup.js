// Tests log only errors unless DME_VM_LOG_LEVEL says otherwise (tests that check logging set their own levels).
process.env.DME_VM_LOG_LEVEL ??= 'error';
